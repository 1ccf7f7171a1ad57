import type { ErrorCodeInfo } from "../errors/error-code-info.js";

/**
 * Error codes of the OIDC client registry, composed into core's list in
 * kernel/core-errors.ts. Messages name the field that is wrong, never a client secret.
 */
export const OIDC_ERRORS = {
  E_OIDC_CLIENT_ID_INVALID: {
    status: 422,
    meaning:
      "A client id is not a slug: 1 to 64 characters of a-z, 0-9 and -, starting and ending with a letter or digit.",
  },
  E_OIDC_CLIENT_NAME_INVALID: {
    status: 422,
    meaning: "A client's name is empty or longer than 120 characters.",
  },
  E_OIDC_CLIENT_TYPE_INVALID: {
    status: 422,
    meaning: "A client's type is neither confidential nor public.",
  },
  E_OIDC_CLIENT_URI_INVALID: {
    status: 422,
    meaning:
      "A redirect, post-logout or back-channel logout URI is not an absolute http(s) URL without a fragment, or is http:// in production (only http://localhost and 127.0.0.1 may be), or a client has no redirect URI.",
  },
  E_OIDC_CLIENT_APP_SCOPE_INVALID: {
    status: 422,
    meaning: "A client's app scope is not an app id such as flow or links.",
  },
  E_OIDC_CLIENT_EXISTS: {
    status: 409,
    meaning: "Another sign-in client already has this client id; pick another or delete the old one.",
  },
  E_OIDC_CLIENT_UNKNOWN: {
    status: 404,
    meaning: "No sign-in client has this client id; `marg oidc:client list` shows the ones that exist.",
  },
  E_OIDC_CLIENT_PUBLIC: {
    status: 409,
    meaning: "A public client has no secret to rotate: it signs in with PKCE alone.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type OidcErrorCode = keyof typeof OIDC_ERRORS;
