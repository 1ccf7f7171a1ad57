import { z } from "zod";
import { MargError } from "../errors/marg-error.js";

/** The longest address SMTP carries (RFC 5321 path limit less the brackets). */
export const EMAIL_MAX_LENGTH = 254;

const emailSchema = z.email().max(EMAIL_MAX_LENGTH);

/**
 * The form an email address is compared and stored under: trimmed and lowercased.
 * Lowercasing the local part is not RFC-exact, but no mail host MARG talks to treats
 * `Ann@x` and `ann@x` as two people, and one account per inbox is what users expect.
 */
export function normalizeEmail(email: string): string {
  return email.trim().toLowerCase();
}

/**
 * Validates an address from outside (form, CLI, admin) and returns it trimmed, or
 * throws E_AUTH_EMAIL_INVALID with `details.fields.email` for the form to show.
 */
export function parseEmail(input: unknown): { email: string; normalized: string } {
  const trimmed = typeof input === "string" ? input.trim() : input;
  const result = emailSchema.safeParse(trimmed);
  if (!result.success) {
    const message =
      typeof trimmed === "string" && trimmed.length > EMAIL_MAX_LENGTH
        ? `The email address is longer than ${EMAIL_MAX_LENGTH} characters; use a shorter one.`
        : "Enter a valid email address, like name@example.com.";
    throw new MargError("E_AUTH_EMAIL_INVALID", message, {
      status: 422,
      details: { fields: { email: [message] } },
    });
  }
  return { email: result.data, normalized: normalizeEmail(result.data) };
}

/** A user's display name: trimmed, 1 to 120 characters. */
export function parseName(input: unknown): string {
  const name = typeof input === "string" ? input.trim() : "";
  if (name.length === 0 || name.length > 120) {
    const message = "Enter a name of 1 to 120 characters.";
    throw new MargError("E_AUTH_NAME_INVALID", message, {
      status: 422,
      details: { fields: { name: [message] } },
    });
  }
  return name;
}
