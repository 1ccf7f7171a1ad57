import { MargError } from "../errors/marg-error.js";
import { normalizeEmail } from "./email.js";

/**
 * NIST SP 800-63B §3.1.1.2: length matters, composition rules do not (they push people
 * to `Password1!`). At least 12 characters; at most 256 so an attacker cannot make
 * the server hash megabytes. Characters are Unicode code points after NFKC, the same
 * form the hasher hashes, so an emoji counts as one.
 */
export const PASSWORD_POLICY = { minLength: 12, maxLength: 256 } as const;

/** Length in code points of the NFKC form: what the policy counts and the hasher hashes. */
export function passwordLength(password: string): number {
  return [...password.normalize("NFKC")].length;
}

/**
 * The problems of a proposed password, empty when it is acceptable. Messages are
 * for the person choosing the password and never repeat it.
 */
export function passwordProblems(password: unknown, context: { email?: string } = {}): string[] {
  if (typeof password !== "string" || password.length === 0) return ["Enter a password."];
  const problems: string[] = [];
  const length = passwordLength(password);
  if (length < PASSWORD_POLICY.minLength) {
    problems.push(
      `Use at least ${PASSWORD_POLICY.minLength} characters; a few words make a strong password.`,
    );
  }
  if (length > PASSWORD_POLICY.maxLength) {
    problems.push(`Use at most ${PASSWORD_POLICY.maxLength} characters.`);
  }
  if (context.email !== undefined && normalizeEmail(password) === normalizeEmail(context.email)) {
    problems.push("Do not use your email address as your password.");
  }
  return problems;
}

/** Throws E_AUTH_PASSWORD_WEAK (422, `details.fields.password`) unless the password meets the policy. */
export function assertPasswordAcceptable(password: unknown, context: { email?: string } = {}): string {
  const problems = passwordProblems(password, context);
  if (problems.length > 0 || typeof password !== "string") {
    throw new MargError("E_AUTH_PASSWORD_WEAK", problems.join(" "), {
      status: 422,
      details: { fields: { password: problems } },
    });
  }
  return password;
}
