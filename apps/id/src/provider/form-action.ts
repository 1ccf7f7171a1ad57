/**
 * MARG's Content-Security-Policy with more origins in `form-action`. Chromium
 * applies `form-action` to every redirect after a form is submitted, so a page
 * whose form ends (through the provider's 303s) at a client's redirect or
 * post-logout URI must name that client's origins, or the browser stops there.
 */
export function widenFormAction(csp: string, origins: Iterable<string>): string {
  const extra = [...new Set(origins)].filter((origin) => /^https?:\/\/[^\s;,'"]+$/.test(origin));
  if (extra.length === 0) return csp;
  const directives = csp.split(";").map((directive) => directive.trim());
  const index = directives.findIndex((directive) => directive.startsWith("form-action"));
  if (index === -1) return csp;
  directives[index] = [directives[index], ...extra].join(" ");
  return directives.join("; ");
}

/** The origin of each URL that parses; the rest are left out. */
export function originsOf(urls: Iterable<string>): string[] {
  return [...urls].flatMap((url) => (URL.canParse(url) ? [new URL(url).origin] : []));
}
