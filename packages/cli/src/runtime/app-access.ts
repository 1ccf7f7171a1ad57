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
