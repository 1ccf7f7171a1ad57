export interface SafeRedirectOptions {
  /** The ecosystem's domain (`marg.test`, or `.marg.test` as SESSION_DOMAIN writes it): it and its subdomains are allowed. */
  readonly domain?: string;
  /** Exact extra host names allowed, without port (`localhost`). */
  readonly allowedHosts?: readonly string[];
  /** Where to go when `next` is not safe; trusted as given. Default `/`. */
  readonly fallback?: string;
}

const MAX_LENGTH = 2048;
// C0 controls, DEL, and the C1 range: browsers strip some of them (tab, newline)
// while parsing a URL, which turns `/\t/evil` into `//evil`.
const CONTROL = /\p{Cc}/u;
const WHITESPACE = /\s/;
const ABSOLUTE = /^https?:\/\//i;
const PLACEHOLDER_ORIGIN = "http://relative.invalid";

/**
 * Returns `next` when it is a path on this site or an http(s) URL on one of the
 * ecosystem's own hosts, otherwise `fallback`. For the `next` of a sign-in form and
 * any other redirect target that comes from a request.
 *
 * Refused: other hosts, protocol-relative `//host` and `/\host`, backslashes,
 * whitespace and control characters, any scheme but http(s) (`javascript:`),
 * credentials in the URL (`https://marg.test@evil.example`), and percent-encoded
 * forms of these (`/%2F%2Fevil.example`), which some servers decode and redirect again.
 *
 * @example
 * safeRedirectTarget("https://links.marg.test/x", { domain: "marg.test" }); // "https://links.marg.test/x"
 * safeRedirectTarget("//evil.example", { domain: "marg.test" }); // "/"
 */
export function safeRedirectTarget(next: unknown, options: SafeRedirectOptions = {}): string {
  const fallback = options.fallback ?? "/";
  if (typeof next !== "string" || next.length === 0 || next.length > MAX_LENGTH) return fallback;
  if (WHITESPACE.test(next) || !decodedForms(next).every(isHarmlessText)) return fallback;
  if (next.startsWith("/")) return safePath(next) ?? fallback;
  if (ABSOLUTE.test(next)) return safeAbsolute(next, options) ?? fallback;
  return fallback;
}

/** The text and what one, two and three rounds of percent-decoding make of it. */
function decodedForms(text: string): string[] {
  const forms = [text];
  let current = text;
  for (let round = 0; round < 3 && current.includes("%"); round++) {
    try {
      current = decodeURIComponent(current);
    } catch {
      return [text, "\\"]; // malformed escapes: refuse rather than guess what a server makes of them
    }
    forms.push(current);
  }
  return forms;
}

// Decoded spaces (`?q=a%20b`) are fine; decoded controls, backslashes and a leading
// `//` are what a decode-and-redirect-again server would turn into another host.
function isHarmlessText(form: string): boolean {
  return !CONTROL.test(form) && !form.includes("\\") && !form.startsWith("//");
}

function safePath(next: string): string | null {
  let url: URL;
  try {
    url = new URL(next, PLACEHOLDER_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil` normalises to `//evil`: check what comes out, not only what went in.
  return path.startsWith("//") ? null : path;
}

function safeAbsolute(next: string, options: SafeRedirectOptions): string | null {
  let url: URL;
  try {
    url = new URL(next);
  } catch {
    return null;
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return null;
  if (url.username !== "" || url.password !== "") return null;
  return isOwnHost(url.hostname, options) ? url.href : null;
}

function isOwnHost(hostname: string, options: SafeRedirectOptions): boolean {
  const host = hostname.toLowerCase();
  if (options.allowedHosts?.some((allowed) => allowed.toLowerCase() === host)) return true;
  const domain = options.domain?.toLowerCase().replace(/^\./, "") ?? "";
  if (domain === "") return false;
  return host === domain || host.endsWith(`.${domain}`);
}
