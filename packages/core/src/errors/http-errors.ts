import type { ErrorCodeInfo } from "./error-code-info.js";

/**
 * Codes any request can end with before a capability decides anything: the
 * HTTP client errors, field validation and the unexpected 500. They sit with
 * MargError because the web layer answers with them and apps throw E_VALIDATION.
 */
export const HTTP_ERRORS = {
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
} as const satisfies Record<string, ErrorCodeInfo>;

export type HttpErrorCode = keyof typeof HTTP_ERRORS;
