import type { MargConfig } from "../config/config-types.js";
import { SessionFieldCodec } from "./session-codec.js";
import { storedDevice } from "./session-device.js";
import { handleOf } from "./session-id.js";
import { SessionKeyRing } from "./session-keys.js";
import { DEVICE_FIELD, type SessionStore, type SessionSummary } from "./types.js";
import { describeUserAgent } from "./user-agent-label.js";

/** One signed-in session of a user, as "your devices" shows it. Times are epoch milliseconds. */
export interface SessionDevice {
  /** Names the session for {@link SessionDevices.end}; never its store key. */
  readonly handle: string;
  /** The app it was signed in on, or null for a session from before devices were recorded. */
  readonly app: string | null;
  readonly browser: string;
  readonly os: string;
  /** The raw user agent (at most 512 characters), or null when unknown. */
  readonly userAgent: string | null;
  /** The client address at sign-in, as the app saw it through TRUSTED_PROXIES. */
  readonly ip: string | null;
  /** Sign-in. */
  readonly firstSeen: number;
  /** The last request, to within the session touch interval (one minute at most). */
  readonly lastSeen: number;
  readonly expiresAt: number;
}

/**
 * A user's sessions on every app with where each was signed in, and ending one of
 * them. Works on any store (Redis or the database) from any app: the device details
 * are a field of the session, decoded here with the session keys (APP_KEY and
 * APP_PREVIOUS_KEYS), so they are encrypted at rest when SESSION_ENCRYPT=true.
 */
export class SessionDevices {
  readonly #store: SessionStore;
  readonly #ring: SessionKeyRing;
  readonly #encrypt: boolean;

  constructor(store: SessionStore, config: Pick<MargConfig, "app" | "session">) {
    this.#store = store;
    this.#ring = new SessionKeyRing(
      config.app.key.reveal(),
      config.app.previousKeys.map((key) => key.reveal()),
    );
    this.#encrypt = config.session.encrypt;
  }

  /** The user's live sessions, most recently active first. */
  async list(userId: string): Promise<SessionDevice[]> {
    const sessions = await this.#store.listUserSessions(userId);
    return sessions.map((session) => this.#describe(session));
  }

  /**
   * Ends the session `handle` names, only if it is one of `userId`'s: a handle of
   * someone else's session (or a made-up one) ends nothing. Returns the ended session.
   */
  async end(userId: string, handle: string): Promise<SessionDevice | null> {
    const sessions = await this.#store.listUserSessions(userId);
    const target = sessions.find((session) => handleOf(session.storeKey) === handle);
    if (target === undefined) return null;
    await this.#store.destroy(target.storeKey);
    return this.#describe(target);
  }

  #describe(session: SessionSummary): SessionDevice {
    const device = this.#device(session);
    const userAgent = device === null || device.ua === "" ? null : device.ua;
    return {
      handle: handleOf(session.storeKey),
      app: device?.app ?? null,
      ...describeUserAgent(userAgent),
      userAgent,
      ip: device === null || device.ip === "" ? null : device.ip,
      firstSeen: session.createdAt,
      lastSeen: session.lastActivity,
      expiresAt: session.expiresAt,
    };
  }

  #device(session: SessionSummary) {
    if (session.device === null) return null;
    const codec = new SessionFieldCodec(this.#ring, this.#encrypt, session.storeKey);
    return storedDevice(codec.decode(DEVICE_FIELD, session.device)?.value);
  }
}
