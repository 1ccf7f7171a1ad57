import type { ErrorCodeInfo } from "../errors/error-code-info.js";

/**
 * Error codes of the auth capability. Composed into core's list in kernel/core-errors.ts;
 * docs/errors.md lists the same codes. Messages never carry a password, a hash or
 * a reset token.
 */
export const AUTH_ERRORS = {
  E_AUTH_EMAIL_INVALID: { status: 422, meaning: "An email address is missing or not a valid address." },
  E_AUTH_EMAIL_TAKEN: { status: 409, meaning: "Another account already uses this email address." },
  E_AUTH_NAME_INVALID: { status: 422, meaning: "A user's name is empty or longer than allowed." },
  E_AUTH_PASSWORD_WEAK: {
    status: 422,
    meaning: "A new password breaks the password policy (12 to 256 characters, not the email).",
  },
  E_AUTH_USER_NOT_FOUND: { status: 404, meaning: "No user has the given id." },
  E_AUTH_INVALID_CREDENTIALS: { status: 401, meaning: "The email address or the password is wrong." },
  E_AUTH_THROTTLED: {
    status: 429,
    meaning: "Too many failed sign-ins for this account or address; retry after the time given.",
  },
  E_AUTH_DISABLED: { status: 403, meaning: "The account is disabled; an administrator can enable it." },
  E_AUTH_RESET_INVALID: {
    status: 400,
    meaning: "A password-reset link is unknown, already used or expired; request a new one.",
  },
  E_AUTH_REGISTRATION_CLOSED: {
    status: 404,
    meaning:
      "Self-service sign-up is off (REGISTRATION_ENABLED=false); an administrator can invite people instead.",
  },
  E_AUTH_EMAIL_DOMAIN_REFUSED: {
    status: 422,
    meaning: "Sign-up is limited to the domains in REGISTRATION_DOMAINS and the address is at another one.",
  },
  E_AUTH_INVITATION_INVALID: {
    status: 400,
    meaning: "A sign-up or invitation link is unknown, already used or expired; ask for a new one.",
  },
  E_AUTH_TWO_FACTOR_CODE_INVALID: {
    status: 401,
    meaning:
      "A two-factor code is wrong, outside its 30-second window, or already used; so is a spent recovery code.",
  },
  E_AUTH_TWO_FACTOR_ALREADY_ON: {
    status: 409,
    meaning:
      "Two-factor sign-in is already on for the account; turn it off before setting up another authenticator.",
  },
  E_AUTH_TWO_FACTOR_NOT_PENDING: {
    status: 409,
    meaning: "A two-factor code was sent to confirm a set-up that was never started; start it again.",
  },
  E_AUTH_TWO_FACTOR_NOT_ON: {
    status: 409,
    meaning: "Two-factor sign-in is off for the account; set it up first.",
  },
  E_AUTH_TWO_FACTOR_REQUIRED: {
    status: 401,
    meaning:
      "The password was right and the account has a second factor: POST the code (or a recovery code) to /login/two-factor, or a passkey's assertion to /login/two-factor/passkey.",
  },
  E_AUTH_TWO_FACTOR_SIGN_IN_EXPIRED: {
    status: 401,
    meaning:
      "A two-factor code or passkey was sent with no password step waiting for it (none, or older than 5 minutes); sign in again.",
  },
  E_AUTH_TWO_FACTOR_SETUP_REQUIRED: {
    status: 403,
    meaning:
      "AUTH_REQUIRE_2FA requires this account to set up two-factor sign-in (an authenticator app or a passkey) before using any app: open /account/two-factor.",
  },
  E_AUTH_TOKEN_MALFORMED: {
    status: 401,
    meaning:
      "A bearer token is not a MARG API token: wrong prefix, length or checksum (a typo or a cut-off paste).",
  },
  E_AUTH_TOKEN_UNKNOWN: { status: 401, meaning: "No API token has this value; it may have been deleted." },
  E_AUTH_TOKEN_REVOKED: {
    status: 401,
    meaning: "The API token was revoked by its holder, an admin or `marg token:revoke`.",
  },
  E_AUTH_TOKEN_EXPIRED: { status: 401, meaning: "The API token is past its expiry; create a new one." },
  E_AUTH_TOKEN_APP_REFUSED: {
    status: 403,
    meaning: "The API token is limited to other apps than the one it was sent to.",
  },
  E_AUTH_TOKEN_INPUT_INVALID: {
    status: 422,
    meaning: "A new API token's name, permissions, apps or expiry are missing or malformed.",
  },
  E_AUTH_TOKEN_SCOPE_EXCEEDED: {
    status: 422,
    meaning: "A new API token asks for a permission its holder does not have.",
  },
  E_AUTH_TOKEN_WITH_COOKIE: {
    status: 400,
    meaning:
      "A request carried both a session cookie and a bearer token: send one (scripts send the token and no cookies).",
  },
  E_AUTH_PASSKEY_INVALID: {
    status: 400,
    meaning:
      "A passkey registration, sign-in or second step could not be verified: another or a used challenge, a foreign origin, an unknown, another account's or copied credential.",
  },
  E_AUTH_THROTTLE_STORE: { status: 503, meaning: "The sign-in throttle store could not be read or written." },
} as const satisfies Record<string, ErrorCodeInfo>;

export type AuthErrorCode = keyof typeof AUTH_ERRORS;
