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

// A segment no permission name can contain (names are lowercase words), so a literal
// segment of `granted` never equals it by accident.
const ANY = "~";

/**
 * True when `granted` covers every name `wanted` covers; both may be wildcards.
 * `links.*` covers `links.*`, `links.delete` and `links.stats.*`; `*` covers
 * everything; `tasks.*` does not cover `*` nor `tasks` nor `*.view`. Whoever holds
 * `granted` may hand out `wanted` (docs/rbac.md, "No one grants more than they hold").
 */
export function permissionPatternCovers(granted: string, wanted: string): boolean {
  const covers = compilePermissionPattern(granted);
  const segments = wanted.split(".");
  const last = segments.length - 1;
  // `wanted` stands for the names built by filling each `*` with an unknown segment:
  // a middle one with exactly one, a trailing one with one or more. Checking one and
  // two trailing segments decides it, since a pattern either stops at a fixed length
  // or ends in `*` itself (see compilePermissionPattern).
  const fill = (trailing: number) =>
    segments
      .map((segment, index) =>
        segment !== "*" ? segment : index === last ? Array(trailing).fill(ANY).join(".") : ANY,
      )
      .join(".");
  if (segments[last] !== "*") return covers(fill(1));
  return covers(fill(1)) && covers(fill(2));
}
