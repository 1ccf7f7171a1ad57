/** Longest target URL we store (browsers and proxies start failing past ~2 KB). */
export const MAX_TARGET_URL_LENGTH = 2048;

export type TargetUrlCheck = { ok: true; href: string } | { ok: false; message: string };

/**
 * Accepts only absolute http(s) URLs and returns their normalised form. The
 * scheme is read from the parsed URL, not the text, so tricks the URL parser
 * strips (leading spaces, tabs or newlines inside `java\nscript:`) are caught.
 * User names and passwords in the URL (`https://bank.example@evil.example`) are
 * refused: they are how short links hide where they lead.
 */
export function checkTargetUrl(input: string): TargetUrlCheck {
  const text = input.trim();
  if (text === "") return { ok: false, message: "is required: paste the address the link should open" };
  if (text.length > MAX_TARGET_URL_LENGTH) {
    return { ok: false, message: `is longer than ${MAX_TARGET_URL_LENGTH} characters` };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return { ok: false, message: "is not a valid web address: use a full URL like https://example.com/page" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    return {
      ok: false,
      message: `must start with http:// or https:// (${url.protocol} links are refused)`,
    };
  }
  if (url.hostname === "") return { ok: false, message: "has no host name" };
  if (url.username !== "" || url.password !== "") {
    return { ok: false, message: "must not contain a user name or password before the host" };
  }
  if (url.href.length > MAX_TARGET_URL_LENGTH) {
    return { ok: false, message: `is longer than ${MAX_TARGET_URL_LENGTH} characters once encoded` };
  }
  return { ok: true, href: url.href };
}
