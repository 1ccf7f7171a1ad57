export interface SafeRedirectOptions {
  /**
   * The origins an absolute `next` may lead to, scheme + host + port
   * (`https://links.marg.test`): the apps of MARG_APPS, never every host of the
   * domain, since a sibling host that is not a MARG app may be anyone's.
   */
  readonly origins?: readonly string[];
  /** This app's origin: where a path `next` leads, so `redirectsOnward` can judge it. */
  readonly self?: string;
  /**
   * True for an address that itself redirects to wherever someone chose (a short
   * link of the links app): refused like a foreign host, since following it ends
   * off-site. Gets the URL with its path percent-decoded, as the router sees it.
   */
  readonly redirectsOnward?: (origin: string, pathname: string) => boolean;
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
 * ecosystem's own app origins, and does not redirect onward, otherwise `fallback`. For the `next` of a sign-in form and
 * any other redirect target that comes from a request.
 *
 * Refused: other hosts, protocol-relative `//host` and `/\host`, backslashes,
 * whitespace and control characters, any scheme but http(s) (`javascript:`),
 * credentials in the URL (`https://marg.test@evil.example`), and percent-encoded
 * forms of these (`/%2F%2Fevil.example`), which some servers decode and redirect again.
 *
 * @example
 * const origins = ["https://flow.marg.test", "https://links.marg.test"];
 * safeRedirectTarget("https://links.marg.test/links", { origins }); // "https://links.marg.test/links"
 * safeRedirectTarget("https://evil.marg.test/", { origins }); // "/"
 * safeRedirectTarget("//evil.example", { origins }); // "/"
 */
export function safeRedirectTarget(next: unknown, options: SafeRedirectOptions = {}): string {
  const fallback = options.fallback ?? "/";
  if (typeof next !== "string" || next.length === 0 || next.length > MAX_LENGTH) return fallback;
  if (WHITESPACE.test(next) || !decodedForms(next).every(isHarmlessText)) return fallback;
  if (next.startsWith("/")) return safePath(next, options) ?? fallback;
  if (ABSOLUTE.test(next)) return safeAbsolute(next, options) ?? fallback;
  return fallback;
}

/** The path as the router matches it (`/%61bc` is the short link `/abc`); null when it does not decode. */
function decodedPath(pathname: string): string | null {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return null;
  }
}

function redirectsOnward(options: SafeRedirectOptions, origin: string, pathname: string): boolean {
  if (options.redirectsOnward === undefined) return false;
  const path = decodedPath(pathname);
  return path === null || options.redirectsOnward(origin, path);
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

function safePath(next: string, options: SafeRedirectOptions): string | null {
  let url: URL;
  try {
    url = new URL(next, PLACEHOLDER_ORIGIN);
  } catch {
    return null;
  }
  if (url.origin !== PLACEHOLDER_ORIGIN) return null;
  const path = `${url.pathname}${url.search}${url.hash}`;
  // `/.//evil` normalises to `//evil`: check what comes out, not only what went in.
  if (path.startsWith("//")) return null;
  if (options.self !== undefined && redirectsOnward(options, options.self, url.pathname)) return null;
  return path;
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
  if (!isAppOrigin(url.origin, options)) return null;
  return redirectsOnward(options, url.origin, url.pathname) ? null : url.href;
}

function isAppOrigin(origin: string, options: SafeRedirectOptions): boolean {
  return (options.origins ?? []).some(
    (allowed) => URL.canParse(allowed) && new URL(allowed).origin === origin,
  );
}
