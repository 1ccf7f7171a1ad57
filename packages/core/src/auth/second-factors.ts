import type { PasskeyService } from "./passkeys/passkey-service.js";
import type { TwoFactorService } from "./two-factor/two-factor-service.js";

/** The services that hold an account's second factors. */
export interface SecondFactorServices {
  readonly twoFactor: Pick<TwoFactorService, "isEnabled" | "disable" | "status">;
  readonly passkeys: Pick<PasskeyService, "count" | "removeAllFor">;
}

/** What an account can prove after its password: a TOTP app (with recovery codes) and/or passkeys. */
export interface SecondFactors {
  readonly totp: boolean;
  readonly passkeys: number;
}

/**
 * The account's second factors. Either one makes sign-in ask for a second step after
 * the password, and either one satisfies AUTH_REQUIRE_2FA: a registered passkey is a
 * possession factor as strong as a TOTP app (stronger: it cannot be phished).
 */
export async function secondFactorsOf(
  services: SecondFactorServices,
  userId: number,
): Promise<SecondFactors> {
  const [totp, passkeys] = await Promise.all([
    services.twoFactor.isEnabled(userId),
    services.passkeys.count(userId),
  ]);
  return { totp, passkeys };
}

/** True when the account has a second factor of any kind. */
export const hasSecondFactor = (factors: SecondFactors): boolean => factors.totp || factors.passkeys > 0;

/** What an administrator's or operator's reset removed. */
export interface SecondFactorReset {
  /** The TOTP secret was there (set up, or a set-up begun) and is gone. */
  readonly totpRemoved: boolean;
  readonly recoveryCodesRemoved: number;
  readonly passkeysRemoved: number;
}

/**
 * Removes every second factor of the account (the person lost the phone): the TOTP
 * secret, every recovery code and every passkey, so the password alone signs in again
 * and the person sets up anew. Passkeys go too: whoever needs this reset cannot pass
 * the two-factor step, which offers the passkeys as much as the code, and nobody can
 * tell from here which of them was on the lost device.
 */
export async function resetSecondFactors(
  services: SecondFactorServices,
  userId: number,
): Promise<SecondFactorReset> {
  const { recoveryCodesLeft } = await services.twoFactor.status(userId);
  const totpRemoved = await services.twoFactor.disable(userId);
  const passkeysRemoved = await services.passkeys.removeAllFor(userId);
  return { totpRemoved, recoveryCodesRemoved: recoveryCodesLeft, passkeysRemoved };
}
