import { createHash } from "node:crypto";
import {
  type AuthenticationResponseJSON,
  type AuthenticatorTransportFuture,
  generateAuthenticationOptions,
  generateRegistrationOptions,
  type PublicKeyCredentialCreationOptionsJSON,
  type PublicKeyCredentialRequestOptionsJSON,
  type RegistrationResponseJSON,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
} from "@simplewebauthn/server";
import type { Kysely, Selectable } from "kysely";
import { MargError } from "../../errors/marg-error.js";
import type { AuthDatabase } from "../auth-schema.js";
import type { Clock } from "../types.js";
import type { UserPasskeysTable } from "./passkey-tables.js";

/** Who the passkeys belong to: the parent domain, so one passkey works on every app's origin. */
export interface RelyingParty {
  /** The parent domain (SESSION_DOMAIN without its dot), e.g. `marg.example.com`. */
  readonly id: string;
  readonly name: string;
  /** Every app origin a ceremony may come from (`https://flow.marg.example.com`, …). */
  readonly origins: readonly string[];
}

export interface Passkey {
  readonly id: number;
  readonly userId: number;
  readonly name: string;
  readonly deviceType: string;
  readonly backedUp: boolean;
  readonly createdAt: number;
  readonly lastUsedAt: number | null;
}

const CREDENTIAL_ID_MAX = 255;
const NAME_MAX = 100;

// 400, as the error catalog says: a bad answer from a browser is never the server's fault.
const invalid = (why: string) =>
  new MargError("E_AUTH_PASSKEY_INVALID", `The passkey could not be verified: ${why} Try again.`, {
    status: 400,
  });

/**
 * Passkeys (WebAuthn) through @simplewebauthn/server: registration from the account
 * page, and sign-in either as a second factor (the user's own credentials allowed)
 * or password-less (a discoverable credential names its user). Challenges are the
 * caller's to keep (in the session) and to use once; this service checks the
 * signature, origin, relying party and the signature counter.
 *
 * @example
 * const options = await passkeys.registrationOptions(user);  // challenge → session
 * const passkey = await passkeys.register(user.id, browserResponse, challenge, "Laptop");
 * const options2 = await passkeys.authenticationOptions();    // challenge → session
 * const { userId } = await passkeys.authenticate(browserResponse2, challenge2);
 */
export class PasskeyService {
  readonly #db: Kysely<AuthDatabase>;
  readonly #rp: RelyingParty;
  readonly #now: Clock;

  constructor(deps: { db: Kysely<AuthDatabase>; relyingParty: RelyingParty; clock?: Clock }) {
    this.#db = deps.db;
    this.#rp = deps.relyingParty;
    this.#now = deps.clock ?? Date.now;
  }

  /** Options for `navigator.credentials.create()`; keep `challenge` for {@link register}. */
  async registrationOptions(user: {
    id: number;
    email: string;
    name: string;
  }): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const existing = await this.#rows(user.id);
    return await generateRegistrationOptions({
      rpName: this.#rp.name,
      rpID: this.#rp.id,
      userName: user.email,
      userDisplayName: user.name,
      userID: userHandle(user.id),
      attestationType: "none",
      excludeCredentials: existing.map((row) => ({ id: row.credential_id, transports: transportsOf(row) })),
      // Discoverable, so the same passkey also signs in without a password.
      authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
    });
  }

  /** Verifies the browser's registration and stores the passkey; E_AUTH_PASSKEY_INVALID otherwise. */
  async register(
    userId: number,
    response: unknown,
    expectedChallenge: string,
    name: string,
  ): Promise<Passkey> {
    const label = name.trim().slice(0, NAME_MAX) || "Passkey";
    let verification: Awaited<ReturnType<typeof verifyRegistrationResponse>>;
    try {
      verification = await verifyRegistrationResponse({
        response: response as RegistrationResponseJSON,
        expectedChallenge,
        expectedOrigin: [...this.#rp.origins],
        expectedRPID: this.#rp.id,
        requireUserVerification: false,
      });
    } catch (error) {
      throw invalid(reasonOf(error));
    }
    if (!verification.verified) throw invalid("the authenticator's answer did not match.");
    const { credential, credentialDeviceType, credentialBackedUp } = verification.registrationInfo;
    if (credential.id.length > CREDENTIAL_ID_MAX)
      throw invalid("its credential id is longer than MARG stores.");
    const row = {
      user_id: userId,
      credential_id: credential.id,
      public_key: Buffer.from(credential.publicKey).toString("base64url"),
      counter: credential.counter,
      transports: JSON.stringify(credential.transports ?? []),
      device_type: credentialDeviceType,
      backed_up: credentialBackedUp ? 1 : 0,
      name: label,
      created_at: this.#now(),
      last_used_at: null,
    };
    try {
      const inserted = await this.#db.insertInto("user_passkeys").values(row).executeTakeFirstOrThrow();
      return toPasskey({ id: Number(inserted.insertId), ...row });
    } catch {
      throw invalid("this passkey is already registered.");
    }
  }

  /**
   * Options for `navigator.credentials.get()`; keep `challenge` for {@link authenticate}.
   * With `userId` (a second factor after the password) only that user's passkeys are
   * offered; without, the browser offers any discoverable one (password-less).
   */
  async authenticationOptions(userId?: number): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const allow = userId === undefined ? [] : await this.#rows(userId);
    return await generateAuthenticationOptions({
      rpID: this.#rp.id,
      userVerification: "preferred",
      allowCredentials: allow.map((row) => ({ id: row.credential_id, transports: transportsOf(row) })),
    });
  }

  /**
   * Verifies an assertion; returns whose passkey signed it. With `userId`, a passkey
   * of anyone else is refused. A replayed or cloned assertion (the counter did not
   * move on) is refused: E_AUTH_PASSKEY_INVALID.
   */
  async authenticate(
    response: unknown,
    expectedChallenge: string,
    userId?: number,
  ): Promise<{ userId: number; passkey: Passkey }> {
    const credentialId = (response as { id?: unknown } | null)?.id;
    if (
      typeof credentialId !== "string" ||
      credentialId.length === 0 ||
      credentialId.length > CREDENTIAL_ID_MAX
    ) {
      throw invalid("the browser sent no credential.");
    }
    const row = await this.#db
      .selectFrom("user_passkeys")
      .selectAll()
      .where("credential_id", "=", credentialId)
      .executeTakeFirst();
    if (row === undefined || (userId !== undefined && Number(row.user_id) !== userId)) {
      throw invalid("this passkey is not registered with MARG for this account.");
    }
    let verification: Awaited<ReturnType<typeof verifyAuthenticationResponse>>;
    try {
      verification = await verifyAuthenticationResponse({
        response: response as AuthenticationResponseJSON,
        expectedChallenge,
        expectedOrigin: [...this.#rp.origins],
        expectedRPID: this.#rp.id,
        requireUserVerification: false,
        credential: {
          id: row.credential_id,
          publicKey: Buffer.from(row.public_key, "base64url"),
          counter: Number(row.counter),
          transports: transportsOf(row),
        },
      });
    } catch (error) {
      throw invalid(reasonOf(error));
    }
    if (!verification.verified) throw invalid("the signature did not match.");
    const now = this.#now();
    const newCounter = verification.authenticationInfo.newCounter;
    // Conditional on the counter read: of two racing uses of one assertion, one wins.
    const updated = await this.#db
      .updateTable("user_passkeys")
      .set({ counter: newCounter, last_used_at: now })
      .where("id", "=", row.id)
      .where("counter", "=", row.counter)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1 && newCounter !== 0) throw invalid("it was used twice at once.");
    return {
      userId: Number(row.user_id),
      passkey: toPasskey({ ...row, counter: newCounter, last_used_at: now }),
    };
  }

  async list(userId: number): Promise<Passkey[]> {
    return (await this.#rows(userId)).map(toPasskey);
  }

  /** Deletes one of the user's passkeys; false when it is not theirs or already gone. */
  async remove(userId: number, passkeyId: number): Promise<boolean> {
    const result = await this.#db
      .deleteFrom("user_passkeys")
      .where("id", "=", passkeyId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) === 1;
  }

  /** How many passkeys the user has (a second factor when there is one). */
  async count(userId: number): Promise<number> {
    const row = await this.#db
      .selectFrom("user_passkeys")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("user_id", "=", userId)
      .executeTakeFirstOrThrow();
    return Number(row.n);
  }

  /** Deletes every passkey of the user (an administrator's two-factor reset); how many went. */
  async removeAllFor(userId: number): Promise<number> {
    const result = await this.#db
      .deleteFrom("user_passkeys")
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async #rows(userId: number) {
    return await this.#db
      .selectFrom("user_passkeys")
      .selectAll()
      .where("user_id", "=", userId)
      .orderBy("id")
      .execute();
  }
}

/**
 * The WebAuthn user handle: stable per account (so a re-registration replaces rather
 * than duplicates on the authenticator), opaque (no email, no raw id).
 */
function userHandle(userId: number): Uint8Array<ArrayBuffer> {
  const digest = createHash("sha256").update(`marg/webauthn-user/${userId}`).digest();
  return new Uint8Array(digest.subarray(0, 16));
}

function transportsOf(
  row: Pick<Selectable<UserPasskeysTable>, "transports">,
): AuthenticatorTransportFuture[] {
  try {
    const parsed: unknown = JSON.parse(row.transports);
    return Array.isArray(parsed)
      ? (parsed.filter((t) => typeof t === "string") as AuthenticatorTransportFuture[])
      : [];
  } catch {
    return [];
  }
}

/** The library's reason, without echoing anything the browser sent. */
function reasonOf(error: unknown): string {
  const message = error instanceof Error ? error.message : "";
  if (/challenge/i.test(message)) return "it answered another (or a used) challenge.";
  if (/origin/i.test(message)) return "it came from an origin that is not a MARG app.";
  if (/rp ?id/i.test(message)) return "it belongs to another site.";
  if (/counter/i.test(message)) return "its signature counter went backwards (a copied authenticator?).";
  return "the browser's answer was malformed.";
}

function toPasskey(
  row: Selectable<UserPasskeysTable> | (Omit<Selectable<UserPasskeysTable>, "id"> & { id: number }),
): Passkey {
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    name: row.name,
    deviceType: row.device_type,
    backedUp: Number(row.backed_up) === 1,
    createdAt: Number(row.created_at),
    lastUsedAt: row.last_used_at === null ? null : Number(row.last_used_at),
  };
}
