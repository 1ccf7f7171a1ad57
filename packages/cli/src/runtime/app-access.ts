import { loadAppDefinition } from "../migration-sources.js";

/**
 * What each app of the installation asks of a user before any app's switcher
 * shows it: its definition's `access` (apps without one are left out: everyone sees them).
 */
export async function appAccess(
  root: string,
  ids: readonly string[],
): Promise<Record<string, readonly string[]>> {
  const access: Record<string, readonly string[]> = {};
  for (const id of ids) {
    const permissions = (await loadAppDefinition(root, id)).access;
    if (permissions !== undefined) access[id] = permissions;
  }
  return access;
}

/** Each app's `redirectsOffSite` (links' short links), so no app's sign-in sends anyone there. */
export async function appOffSiteRedirects(
  root: string,
  ids: readonly string[],
): Promise<Record<string, (pathname: string) => boolean>> {
  const checks: Record<string, (pathname: string) => boolean> = {};
  for (const id of ids) {
    const check = (await loadAppDefinition(root, id)).redirectsOffSite;
    if (check !== undefined) checks[id] = check;
  }
  return checks;
}
