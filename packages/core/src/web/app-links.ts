import type { MargAppDefinition } from "../app/app-definition.js";
import type { MargConfig } from "../config/config-types.js";
import type { LayoutApp } from "../views/layout.js";

/**
 * The URL of a sibling app, made from this app's own URL: same scheme and port,
 * `<id>.<domain>` as host. On the laptop that is http://links.marg.localhost:8000.
 */
export function siblingAppUrl(config: MargConfig, appId: string): string {
  const own = new URL(config.app.url);
  own.hostname = `${appId}.${config.app.domain}`;
  return own.origin;
}

/**
 * Every app of MARG_APPS by its origin (scheme + host + port), this app's own
 * APP_URL included: the only places a redirect may lead and the only origins an
 * unsafe request may come from. Another host of the domain is not in it.
 */
export function appOrigins(config: MargConfig): ReadonlyMap<string, string> {
  const origins = new Map<string, string>();
  for (const id of config.app.apps) origins.set(siblingAppUrl(config, id), id);
  origins.set(new URL(config.app.url).origin, config.app.id);
  return origins;
}

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
  own: Pick<MargAppDefinition, "id" | "redirectsOffSite">,
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
