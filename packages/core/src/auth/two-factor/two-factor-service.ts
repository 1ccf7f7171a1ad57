import type { Kysely } from "kysely";
import { openAesGcm, sealAesGcm } from "../../crypto/aes-gcm.js";
import { deriveKey } from "../../crypto/derive-key.js";
import { KEY_LABELS } from "../../crypto/key-labels.js";
import { MargError } from "../../errors/marg-error.js";
import type { AuthDatabase } from "../auth-schema.js";
import type { Clock } from "../types.js";
import { newRecoveryCodes, normalizeRecoveryCode, recoveryCodeMac } from "./recovery-codes.js";
import { acceptedTimeStep, newTotpSecret, totpUri } from "./totp.js";

/** APP_KEY and the keys it replaced (APP_PREVIOUS_KEYS): secrets sealed under an old key still open. */
export interface TwoFactorKeys {
  readonly current: Buffer;
  readonly previous: readonly Buffer[];
}

export interface TwoFactorStatus {
  /** A confirmed authenticator: sign-in asks for a code. */
  readonly enabled: boolean;
  /** Set up but not confirmed yet (no code typed): sign-in does not ask. */
  readonly pending: boolean;
  readonly recoveryCodesLeft: number;
}

/** How a second factor was proven. */
export type SecondFactor = "totp" | "recovery-code";

/** A wrong, reused or out-of-window code (or a spent recovery code): 401, never a 500. */
export const invalidTwoFactorCode = () =>
  new MargError(
    "E_AUTH_TWO_FACTOR_CODE_INVALID",
    "That code is not right, or was already used: type the current code from your authenticator app, or an unused recovery code.",
    { status: 401 },
  );

/**
 * Two-factor sign-in with a TOTP authenticator app and single-use recovery codes.
 * The TOTP secret is sealed at rest under a key derived from APP_KEY and bound to
 * the user; recovery codes are kept as HMACs; a TOTP code is accepted once (the
 * last time step is remembered), so a code seen over someone's shoulder is spent.
 *
 * @example
 * const { uri } = await twoFactor.begin(user.id, user.email); // show as a QR code
 * const { recoveryCodes } = await twoFactor.confirm(user.id, "123456"); // show once
 * // at sign-in, after the password:
 * await twoFactor.verify(user.id, typed); // throws E_AUTH_TWO_FACTOR_CODE_INVALID
 */
export class TwoFactorService {
  readonly #db: Kysely<AuthDatabase>;
  readonly #sealKeys: readonly Buffer[];
  readonly #macKeys: readonly Buffer[];
  readonly #issuer: string;
  readonly #now: Clock;

  constructor(deps: { db: Kysely<AuthDatabase>; keys: TwoFactorKeys; issuer: string; clock?: Clock }) {
    this.#db = deps.db;
    const masters = [deps.keys.current, ...deps.keys.previous];
    this.#sealKeys = masters.map((key) => deriveKey(key, KEY_LABELS.twoFactorSecret));
    this.#macKeys = masters.map((key) => deriveKey(key, KEY_LABELS.recoveryCodeMac));
    this.#issuer = deps.issuer;
    this.#now = deps.clock ?? Date.now;
  }

  async status(userId: number): Promise<TwoFactorStatus> {
    const row = await this.#db
      .selectFrom("user_two_factor")
      .select("confirmed_at")
      .where("user_id", "=", userId)
      .executeTakeFirst();
    const left = await this.#db
      .selectFrom("user_recovery_codes")
      .select((eb) => eb.fn.countAll<number | string>().as("n"))
      .where("user_id", "=", userId)
      .where("used_at", "is", null)
      .executeTakeFirstOrThrow();
    return {
      enabled: row?.confirmed_at != null,
      pending: row !== undefined && row.confirmed_at == null,
      recoveryCodesLeft: Number(left.n),
    };
  }

  /** True when sign-in must ask this user for a second factor. */
  async isEnabled(userId: number): Promise<boolean> {
    return (await this.status(userId)).enabled;
  }

  /**
   * Starts set-up: a new secret (replacing an unconfirmed one) and the `otpauth://`
   * address to show as a QR code. E_AUTH_TWO_FACTOR_ALREADY_ON when it is already on.
   */
  async begin(userId: number, label: string): Promise<{ secret: string; uri: string }> {
    if ((await this.status(userId)).enabled) {
      throw new MargError(
        "E_AUTH_TWO_FACTOR_ALREADY_ON",
        "Two-factor sign-in is already on for this account: turn it off first to set up another authenticator.",
        { status: 409 },
      );
    }
    const secret = newTotpSecret();
    const row = {
      secret_sealed: this.#seal(userId, secret),
      confirmed_at: null,
      last_time_step: 0,
      created_at: this.#now(),
    };
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom("user_two_factor").where("user_id", "=", userId).execute();
      await trx
        .insertInto("user_two_factor")
        .values({ user_id: userId, ...row })
        .execute();
    });
    return { secret, uri: totpUri(secret, { issuer: this.#issuer, label }) };
  }

  /**
   * The set-up begun and not yet confirmed, to show again (the page reloaded after the
   * QR code was scanned): its secret and address; undefined when none is waiting.
   */
  async pendingSetup(userId: number, label: string): Promise<{ secret: string; uri: string } | undefined> {
    const row = await this.#row(userId);
    if (row === undefined || row.confirmed_at != null) return undefined;
    const secret = this.#open(userId, row.secret_sealed);
    return secret === undefined
      ? undefined
      : { secret, uri: totpUri(secret, { issuer: this.#issuer, label }) };
  }

  /**
   * Finishes set-up with one code from the app; returns the recovery codes, the only
   * time they exist in clear. E_AUTH_TWO_FACTOR_NOT_PENDING without a begun set-up.
   */
  async confirm(userId: number, code: string): Promise<{ recoveryCodes: string[] }> {
    const row = await this.#row(userId);
    if (row === undefined || row.confirmed_at != null) {
      throw new MargError(
        "E_AUTH_TWO_FACTOR_NOT_PENDING",
        "There is no two-factor set-up waiting for a code: start the set-up again from your account page.",
        { status: 409 },
      );
    }
    const step = await this.#acceptTotp(userId, row, code);
    if (step === undefined) throw invalidTwoFactorCode();
    const recoveryCodes = newRecoveryCodes();
    await this.#db.transaction().execute(async (trx) => {
      await trx
        .updateTable("user_two_factor")
        .set({ confirmed_at: this.#now() })
        .where("user_id", "=", userId)
        .execute();
      await this.#replaceRecoveryCodes(trx, userId, recoveryCodes);
    });
    return { recoveryCodes };
  }

  /**
   * Checks a second factor at sign-in: a current TOTP code or an unused recovery
   * code (which is then spent). E_AUTH_TWO_FACTOR_CODE_INVALID for anything else.
   */
  async verify(userId: number, code: string): Promise<SecondFactor> {
    const row = await this.#row(userId);
    if (row === undefined || row.confirmed_at == null) throw invalidTwoFactorCode();
    if ((await this.#acceptTotp(userId, row, code)) !== undefined) return "totp";
    if (await this.#spendRecoveryCode(userId, code)) return "recovery-code";
    throw invalidTwoFactorCode();
  }

  /** New recovery codes replacing every old one (used or not); shown once. */
  async regenerateRecoveryCodes(userId: number): Promise<string[]> {
    if (!(await this.isEnabled(userId))) {
      throw new MargError(
        "E_AUTH_TWO_FACTOR_NOT_ON",
        "Two-factor sign-in is off for this account: set it up first.",
        { status: 409 },
      );
    }
    const codes = newRecoveryCodes();
    await this.#db.transaction().execute((trx) => this.#replaceRecoveryCodes(trx, userId, codes));
    return codes;
  }

  /** Turns two-factor sign-in off: the secret and every recovery code are deleted. */
  async disable(userId: number): Promise<boolean> {
    return await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom("user_recovery_codes").where("user_id", "=", userId).execute();
      const result = await trx.deleteFrom("user_two_factor").where("user_id", "=", userId).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    });
  }

  async #row(userId: number) {
    return await this.#db
      .selectFrom("user_two_factor")
      .selectAll()
      .where("user_id", "=", userId)
      .executeTakeFirst();
  }

  /** The accepted step, recorded so the same code (or an older one) never works again. */
  async #acceptTotp(
    userId: number,
    row: { secret_sealed: string; last_time_step: number | string },
    code: string,
  ): Promise<number | undefined> {
    const secret = this.#open(userId, row.secret_sealed);
    if (secret === undefined) return undefined;
    const last = Number(row.last_time_step);
    const step = await acceptedTimeStep(secret, code, last, this.#now());
    if (step === undefined) return undefined;
    // Conditional: of two requests racing with one code, only one moves the step on.
    const result = await this.#db
      .updateTable("user_two_factor")
      .set({ last_time_step: step })
      .where("user_id", "=", userId)
      .where("last_time_step", "<", step)
      .executeTakeFirst();
    return Number(result.numUpdatedRows) === 1 ? step : undefined;
  }

  async #spendRecoveryCode(userId: number, code: string): Promise<boolean> {
    if (normalizeRecoveryCode(code).length !== 10) return false;
    for (const key of this.#macKeys) {
      const result = await this.#db
        .updateTable("user_recovery_codes")
        .set({ used_at: this.#now() })
        .where("user_id", "=", userId)
        .where("code_mac", "=", recoveryCodeMac(key, code))
        .where("used_at", "is", null)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) === 1) return true;
    }
    return false;
  }

  async #replaceRecoveryCodes(trx: Kysely<AuthDatabase>, userId: number, codes: readonly string[]) {
    const [key] = this.#macKeys;
    if (key === undefined) throw new Error("TwoFactorService needs APP_KEY");
    await trx.deleteFrom("user_recovery_codes").where("user_id", "=", userId).execute();
    const now = this.#now();
    await trx
      .insertInto("user_recovery_codes")
      .values(
        codes.map((code) => ({
          user_id: userId,
          code_mac: recoveryCodeMac(key, code),
          used_at: null,
          created_at: now,
        })),
      )
      .execute();
  }

  #seal(userId: number, secret: string): string {
    const [key] = this.#sealKeys;
    if (key === undefined) throw new Error("TwoFactorService needs APP_KEY");
    return sealAesGcm(key, Buffer.from(secret, "utf8"), aad(userId)).toString("base64");
  }

  #open(userId: number, sealed: string): string | undefined {
    const bytes = Buffer.from(sealed, "base64");
    for (const key of this.#sealKeys) {
      const opened = openAesGcm(key, bytes, aad(userId));
      if (opened !== undefined) return opened.toString("utf8");
    }
    return undefined;
  }
}

/** Binds a sealed secret to its user: copied onto another row, it does not open. */
const aad = (userId: number) => Buffer.from(`user:${userId}`, "utf8");
