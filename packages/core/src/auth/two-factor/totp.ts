import { generateSecret, generateURI, verify } from "otplib";

/** TOTP as every authenticator app reads it: SHA-1, six digits, 30-second steps (RFC 6238's defaults). */
const PERIOD_SECONDS = 30;
/** One step either side: a phone's clock a little off, or a code typed as it changed. */
const TOLERANCE_SECONDS = PERIOD_SECONDS;
const CODE = /^\d{6}$/;

/** A new random TOTP secret, base32 (160 bits, as RFC 4226 recommends). */
export function newTotpSecret(): string {
  return generateSecret({ length: 20 });
}

/** The `otpauth://` address an authenticator app reads from the QR code. */
export function totpUri(secret: string, account: { issuer: string; label: string }): string {
  return generateURI({ issuer: account.issuer, label: account.label, secret });
}

/**
 * The time step of `code` when it is right for now (± one step) and newer than
 * `afterTimeStep`; undefined otherwise. Spaces are ignored ("123 456").
 */
export async function acceptedTimeStep(
  secret: string,
  code: string,
  afterTimeStep: number,
  nowMs: number,
): Promise<number | undefined> {
  const token = code.replace(/\s+/g, "");
  if (!CODE.test(token)) return undefined;
  const result = await verify({
    secret,
    token,
    epoch: Math.floor(nowMs / 1000),
    epochTolerance: TOLERANCE_SECONDS,
    ...(afterTimeStep > 0 ? { afterTimeStep } : {}),
  });
  if (!result.valid || !("timeStep" in result) || typeof result.timeStep !== "number") return undefined;
  return result.timeStep > afterTimeStep ? result.timeStep : undefined;
}
