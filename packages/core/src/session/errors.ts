import type { ErrorCodeInfo } from "../errors/error-code-info.js";

/** Error codes of the session layer. Most are logged, not thrown: a bad session means "signed out". */
export const SESSION_ERRORS = {
  E_SESSION_TAMPERED: {
    status: 401,
    meaning:
      "A session cookie failed its APP_KEY signature check; it was ignored and the request ran signed out.",
  },
  E_SESSION_COOKIE_CONFLICT: {
    status: 400,
    meaning:
      "The browser sent more than one session cookie (another site under the domain may have set one): the request ran signed out and changes are refused. Clear this domain's cookies in the browser, then sign in again.",
  },
  E_SESSION_UNREADABLE: {
    status: 401,
    meaning:
      "Session data could not be decrypted with APP_KEY or APP_PREVIOUS_KEYS (or is corrupt); the request ran signed out.",
  },
  E_SESSION_STORE_UNAVAILABLE: {
    status: 503,
    meaning: "The session store (Redis or the database) could not be reached; check SESSION_DRIVER's server.",
  },
  E_SESSION_WRITE_CONFLICT: {
    status: 503,
    meaning: "A session change kept colliding with concurrent changes and was given up; retry the request.",
  },
  E_SESSION_VALUE_INVALID: {
    status: 500,
    meaning: "Code put a value into the session that cannot be stored as JSON.",
  },
  E_SESSION_CSRF_INVALID: {
    status: 403,
    meaning: "A form's CSRF token is missing, expired or from another session; reload the page and retry.",
  },
  E_SESSION_NOT_FOUND: {
    status: 404,
    meaning:
      "The session to end is not one of the user's live sessions: it has already ended, or the handle names someone else's.",
  },
  E_SESSION_DRIVER_MISSING: {
    status: 500,
    meaning:
      "SESSION_DRIVER names a store whose client (Redis or database) was not given to the session layer.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;

export type SessionErrorCode = keyof typeof SESSION_ERRORS;
