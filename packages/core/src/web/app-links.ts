import { appOrigins, siblingAppUrl } from "../config/app-origins.js";
import type { MargConfig } from "../config/config-types.js";
import type { LayoutApp } from "./layout.js";

export { appOrigins, siblingAppUrl } from "../config/app-origins.js";

/**
 * The app switcher's entries, in MARG_APPS order; `access` names, per app id, the
 * permissions that open it (its definition's `access`), for hiding it from others.
 */
export function layoutApps(
  config: MargConfig,
  titles: Readonly<Record<string, string>>,
  access: Readonly<Record<string, readonly string[]>> = {},
): LayoutApp[] {
  return config.app.apps.map((id) => ({
    id,
    title: titles[id] ?? id.charAt(0).toUpperCase() + id.slice(1),
    url: siblingAppUrl(config, id),
    ...(access[id] === undefined ? {} : { access: access[id] }),
  }));
}

/**
 * One check over every app's `redirectsOffSite`, by origin: true when `pathname`
 * on the app at `origin` redirects to an address someone chose.
 */
export function offSiteRedirects(
  config: MargConfig,
  own: { readonly id: string; readonly redirectsOffSite?: (pathname: string) => boolean },
  others: Readonly<Record<string, (pathname: string) => boolean>> = {},
): (origin: string, pathname: string) => boolean {
  const byApp = {
    ...others,
    ...(own.redirectsOffSite === undefined ? {} : { [own.id]: own.redirectsOffSite }),
  };
  const origins = appOrigins(config);
  return (origin, pathname) => {
    const id = origins.get(origin);
    return id !== undefined && (byApp[id]?.(pathname) ?? false);
  };
}
