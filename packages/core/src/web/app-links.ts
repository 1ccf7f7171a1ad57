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
