import { randomInt } from "node:crypto";

/**
 * Base62 without the characters people confuse when they read a link aloud or
 * retype it from paper: 0/O/o, 1/l/I. 56 symbols, 7 of them ≈ 1.7·10^12 slugs.
 */
export const SLUG_ALPHABET = "23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ";
export const GENERATED_SLUG_LENGTH = 7;

/** What a person may choose: 3–64 lowercase letters, digits and dashes. */
export const CHOSEN_SLUG = /^[a-z0-9-]{3,64}$/;

/** Anything the redirect may be asked for (chosen or generated); checked before any lookup. */
export const ANY_SLUG = /^[A-Za-z0-9-]{3,64}$/;

/**
 * First path segments the app or the platform answers itself. A slug with one
 * of these names would be shadowed (static routes win) or would shadow a page
 * added later, so they are refused up front. The server's own routes are
 * checked as well (see `isReservedSlug`), so a page added later cannot be missed.
 */
export const RESERVED_SLUGS: ReadonlySet<string> = new Set([
  "login",
  "logout",
  "logout-everywhere",
  "register",
  "account",
  "api",
  "assets",
  "health",
  "links",
  "stats",
  "avatars",
  "reset-password",
  "forgot-password",
  "metrics",
  "admin",
  "docs",
  "static",
  "favicon",
  "robots",
  "sitemap",
  "well-known",
  "maintenance",
  "queues",
  "new",
  "edit",
  "settings",
  "help",
  "about",
  "status",
  "sign-in",
  "sign-out",
  "me",
]);

/**
 * True for a path the public redirect answers, `/{slug}` (with or without a
 * trailing slash), other than the reserved words: where a link sends its visitor
 * to whatever address its owner chose. Exact-case: `/LOGIN` is a slug lookup.
 */
export function isShortLinkPath(pathname: string): boolean {
  const segment = pathname.replace(/^\//, "").replace(/\/$/, "");
  return ANY_SLUG.test(segment) && !RESERVED_SLUGS.has(segment);
}

/** A fresh random slug from {@link SLUG_ALPHABET} (crypto-grade randomness). */
export function generateSlug(length = GENERATED_SLUG_LENGTH): string {
  let slug = "";
  for (let i = 0; i < length; i += 1) slug += SLUG_ALPHABET[randomInt(SLUG_ALPHABET.length)];
  return slug;
}

/** True when `slug` names a reserved word or a path the server already answers. */
export function isReservedSlug(slug: string, routeExists: (path: string) => boolean = () => false): boolean {
  return RESERVED_SLUGS.has(slug.toLowerCase()) || routeExists(`/${slug}`);
}
