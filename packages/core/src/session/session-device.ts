/**
 * What a session remembers of where it was signed in: the app, the browser's user
 * agent and the client's address. Written once, at sign-in, as the encoded field
 * {@link DEVICE_FIELD}, so it is encrypted with the rest of the session when
 * SESSION_ENCRYPT=true and costs no extra store write.
 */

/** The part of a request sign-in reads (a FastifyRequest fits). */
export interface SignInClient {
  readonly headers: { readonly "user-agent"?: string | undefined };
  /** The client address as the app sees it (X-Forwarded-For only from TRUSTED_PROXIES). */
  readonly ip: string;
}

/** The stored form: short keys, the user agent cut to {@link MAX_USER_AGENT} characters. */
export interface StoredDevice {
  readonly app: string;
  readonly ua: string;
  readonly ip: string;
}

/** Enough for every real browser's user agent; a client sending 8 KiB of header stores no more than this. */
export const MAX_USER_AGENT = 512;
/** An IPv6 address with a zone fits; anything longer is not an address. */
const MAX_IP = 64;

export function deviceAt(app: string, client: SignInClient): StoredDevice {
  const ua = client.headers["user-agent"] ?? "";
  return { app, ua: ua.slice(0, MAX_USER_AGENT), ip: client.ip.slice(0, MAX_IP) };
}

/** The stored device, or null for a value of another shape (a session signed in before this existed). */
export function storedDevice(value: unknown): StoredDevice | null {
  if (typeof value !== "object" || value === null) return null;
  const { app, ua, ip } = value as Record<string, unknown>;
  if (typeof app !== "string" || typeof ua !== "string" || typeof ip !== "string") return null;
  return { app, ua: ua.slice(0, MAX_USER_AGENT), ip: ip.slice(0, MAX_IP) };
}
