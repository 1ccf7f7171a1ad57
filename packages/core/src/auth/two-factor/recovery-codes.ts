import { randomInt } from "node:crypto";
import { hmacSha256 } from "../../crypto/hmac.js";

/** Ten codes, each ten characters of a 31-character alphabet (about 49 bits), shown as `abcde-fghjk`. */
export const RECOVERY_CODE_COUNT = 10;
const ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"; // no 0/o, 1/l/i: read off paper
const HALF = 5;

/** Fresh recovery codes, in the form they are shown to the user once. */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    let code = "";
    for (let i = 0; i < HALF * 2; i++) code += ALPHABET[randomInt(ALPHABET.length)];
    return `${code.slice(0, HALF)}-${code.slice(HALF)}`;
  });
}

/** What a person typed, in the stored form: lower case, no spaces or dashes. */
export function normalizeRecoveryCode(input: string): string {
  return input.toLowerCase().replace(/[\s-]+/g, "");
}

/** The stored form of a code: hex HMAC-SHA256 under the recovery-code key. */
export function recoveryCodeMac(key: Buffer, code: string): string {
  return hmacSha256(key, normalizeRecoveryCode(code)).toString("hex");
}
