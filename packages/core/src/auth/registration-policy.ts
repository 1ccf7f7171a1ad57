import type { MargConfig } from "../config/config-types.js";
import { MargError } from "../errors/marg-error.js";
import { parseEmail } from "./email.js";

type RegistrationSettings = MargConfig["auth"];

/** E_AUTH_REGISTRATION_CLOSED (404) unless REGISTRATION_ENABLED: the sign-up pages do not exist then. */
export function assertRegistrationOpen(settings: RegistrationSettings): void {
  if (settings.registrationEnabled) return;
  throw new MargError(
    "E_AUTH_REGISTRATION_CLOSED",
    "Sign-up is closed here: ask an administrator to invite you.",
    { status: 404 },
  );
}

/**
 * The address a visitor may sign up with: valid, and at one of REGISTRATION_DOMAINS
 * when that list is set (exact domain, so `corp.example` does not admit
 * `evil.corp.example`). Throws E_AUTH_EMAIL_INVALID or E_AUTH_EMAIL_DOMAIN_REFUSED,
 * both with `details.fields.email` for the form. The answer depends on the address's
 * text alone, never on whether it has an account.
 */
export function parseSignUpEmail(input: unknown, settings: RegistrationSettings): string {
  const { email, normalized } = parseEmail(input);
  const domain = normalized.slice(normalized.lastIndexOf("@") + 1);
  if (settings.registrationDomains.length > 0 && !settings.registrationDomains.includes(domain)) {
    const message =
      "Sign-up here is open to addresses of approved domains only: use your work address, or ask an administrator to invite you.";
    throw new MargError("E_AUTH_EMAIL_DOMAIN_REFUSED", message, {
      status: 422,
      details: { fields: { email: [message] } },
    });
  }
  return email;
}
