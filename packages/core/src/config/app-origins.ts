import type { MargConfig } from "./config-types.js";

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
