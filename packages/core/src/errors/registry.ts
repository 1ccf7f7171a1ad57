import { AUTH_ERRORS } from "../auth/errors.js";
import { CACHE_ERRORS } from "../cache/errors.js";
import { DB_ERRORS } from "../db/errors.js";
import { MAIL_ERRORS } from "../mail/errors.js";
import { MAINTENANCE_ERRORS } from "../maintenance/errors.js";
import { QUEUE_ERRORS } from "../queue/errors.js";
import { AUTH_REQUIRED_ERROR, RBAC_ERRORS } from "../rbac/errors.js";
import { SESSION_ERRORS } from "../session/errors.js";

/**
 * Every error code MARG raises, with its HTTP status and what it means.
 * docs/errors.md lists the same codes; `errors-doc.test.ts` keeps them in sync.
 * Codes are never reused: retire one by leaving it here with `retired: true`.
 */
export interface ErrorCodeInfo {
  readonly status: number;
  readonly meaning: string;
  readonly retired?: boolean;
}

/** Codes that belong to no single capability (config, HTTP, CLI). */
const PLATFORM_ERRORS = {
  E_CONFIG_INVALID: { status: 500, meaning: "One or more configuration values are missing or invalid." },
  E_CONFIG_FILE: { status: 500, meaning: "A .env file could not be read or parsed." },
  E_APP_UNKNOWN: {
    status: 500,
    meaning: "An app name was given that is not listed in MARG_APPS or has no folder.",
  },
  E_REDIS_UNAVAILABLE: { status: 503, meaning: "Redis could not be reached." },
  E_REDIS_NOT_CONFIGURED: { status: 500, meaning: "Redis was asked for while every driver is embedded." },
  E_HTTP_NOT_FOUND: { status: 404, meaning: "No page or endpoint answers at this address." },
  E_HTTP_BAD_REQUEST: {
    status: 400,
    meaning: "The request could not be understood (malformed body or parameters).",
  },
  E_HTTP_PAYLOAD_TOO_LARGE: { status: 413, meaning: "The request body is larger than the configured limit." },
  E_HTTP_UNSUPPORTED_MEDIA: { status: 415, meaning: "The request body's content type is not accepted here." },
  E_HTTP_ORIGIN_REFUSED: {
    status: 403,
    meaning:
      "A POST, PUT, PATCH or DELETE came from a page that is not one of MARG's apps (its Origin, Sec-Fetch-Site or Referer says so); submit it from the app itself.",
  },
  E_HTTP_RATE_LIMITED: { status: 429, meaning: "Too many requests; retry after the time in Retry-After." },
  E_HTTP_RATE_LIMIT_UNAVAILABLE: {
    status: 503,
    meaning:
      "The shared rate-limit store (Redis, or the database when Redis is not configured) could not be used; the request was refused rather than let through uncounted.",
  },
  E_HTTP_INTERNAL: {
    status: 500,
    meaning: "An unexpected error; the request id in the log tells what happened.",
  },
  E_VALIDATION: { status: 422, meaning: "Input failed validation; `fields` names each problem." },
  E_CLI_USAGE: { status: 400, meaning: "A command was called with missing or invalid arguments." },
} as const satisfies Record<string, ErrorCodeInfo>;

/** Every code, from every capability's errors.ts. */
export const ERROR_CODES = {
  ...PLATFORM_ERRORS,
  ...AUTH_ERRORS,
  ...DB_ERRORS,
  ...SESSION_ERRORS,
  ...CACHE_ERRORS,
  ...RBAC_ERRORS,
  ...AUTH_REQUIRED_ERROR,
  ...QUEUE_ERRORS,
  ...MAIL_ERRORS,
  ...MAINTENANCE_ERRORS,
} as const satisfies Record<string, ErrorCodeInfo>;

export type ErrorCode = keyof typeof ERROR_CODES;
