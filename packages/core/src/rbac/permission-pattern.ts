/**
 * Whether a granted permission covers a checked one. A `*` segment in the middle
 * matches exactly one segment (`*.view` covers `tasks.view`); a trailing `*`
 * matches one or more (`tasks.*` covers `tasks.update` and `tasks.reports.view`,
 * not `tasks`); `*` alone covers everything.
 */
export function compilePermissionPattern(granted: string): (checked: string) => boolean {
  if (!granted.includes("*")) return (checked) => checked === granted;
  const segments = granted.split(".");
  const source = segments
    .map((segment, index) => {
      if (segment !== "*") return segment.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
      return index === segments.length - 1 ? ".+" : "[^.]+";
    })
    .join("\\.");
  const regex = new RegExp(`^${source}$`);
  return (checked) => regex.test(checked);
}

/** True when `granted` (maybe a wildcard) covers the concrete permission `checked`. */
export function permissionCovers(granted: string, checked: string): boolean {
  return compilePermissionPattern(granted)(checked);
}
