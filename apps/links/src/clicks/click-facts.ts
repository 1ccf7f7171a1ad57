/**
 * The only facts a click leaves behind: the UTC day and the host of the
 * referring page. No address, no user agent, no cookie, no country.
 */

/** `YYYY-MM-DD` of `epochMs` in UTC. */
export function dayOf(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** The `n` days ending with `lastDay` (inclusive), oldest first. */
export function daysEnding(lastDay: string, n: number): string[] {
  const end = Date.parse(`${lastDay}T00:00:00Z`);
  return Array.from({ length: n }, (_, i) => dayOf(end - (n - 1 - i) * 86_400_000));
}

const HOST = /^[a-z0-9.-]{1,253}$/;

/**
 * The lowercased host of a Referer header, or '' when there is none, it is not
 * an http(s) URL, or the host is odd (IP literals with brackets included: they
 * tell nothing useful and could carry an address).
 */
export function referrerHostOf(referer: string | undefined): string {
  if (referer === undefined || referer === "" || referer.length > 2048) return "";
  try {
    const url = new URL(referer);
    if (url.protocol !== "http:" && url.protocol !== "https:") return "";
    const host = url.hostname.toLowerCase().replace(/\.$/, "");
    if (!HOST.test(host) || /^\d+(\.\d+){3}$/.test(host)) return "";
    return host;
  } catch {
    return "";
  }
}
