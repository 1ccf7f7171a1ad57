import type { FastifySchemaValidationError } from "fastify";
import { HTTP_ERRORS as ERROR_CODES, type HttpErrorCode as ErrorCode, isMargError } from "../errors/index.js";
import type { HttpErrorView } from "./types.js";

/** What to tell the client for each code, when the error itself has nothing better to say. */
const MESSAGES: Partial<Record<ErrorCode, string>> = {
  E_HTTP_NOT_FOUND: "Nothing answers at this address. Check the link, or start again from the home page.",
  E_HTTP_BAD_REQUEST:
    "The request could not be understood. Check its parameters and body, then send it again.",
  E_HTTP_PAYLOAD_TOO_LARGE: "The request body is larger than this server accepts. Send less data at once.",
  E_HTTP_UNSUPPORTED_MEDIA:
    "The request body's Content-Type is not accepted here. Send JSON (application/json) or a form.",
  E_HTTP_RATE_LIMITED: "Too many requests. Wait for the time given in Retry-After, then try again.",
  E_VALIDATION: "Some fields are not valid; each one is listed with what to fix.",
  E_HTTP_INTERNAL:
    "Something went wrong on our side. Try again; if it keeps happening, report the request id below.",
};

/** What a 503 says where the real message would show the infrastructure (production, staging). */
export const UNAVAILABLE_MESSAGE =
  "The service is unavailable right now. Try again in a few minutes; if it keeps happening, report the request id below.";

/** Fastify's own client errors, by code, where the status alone would be ambiguous. */
const FASTIFY_CODES: Readonly<Record<string, ErrorCode>> = {
  FST_ERR_CTP_BODY_TOO_LARGE: "E_HTTP_PAYLOAD_TOO_LARGE",
  FST_ERR_CTP_INVALID_MEDIA_TYPE: "E_HTTP_UNSUPPORTED_MEDIA",
  FST_ERR_CTP_INVALID_JSON_BODY: "E_HTTP_BAD_REQUEST",
  FST_ERR_CTP_EMPTY_JSON_BODY: "E_HTTP_BAD_REQUEST",
};

const BY_STATUS: Readonly<Record<number, ErrorCode>> = {
  400: "E_HTTP_BAD_REQUEST",
  404: "E_HTTP_NOT_FOUND",
  413: "E_HTTP_PAYLOAD_TOO_LARGE",
  415: "E_HTTP_UNSUPPORTED_MEDIA",
  429: "E_HTTP_RATE_LIMITED",
};

/** A view for one of the registry's codes, with its registered status and default message. */
export function viewFor(code: ErrorCode, message?: string): HttpErrorView {
  const status = ERROR_CODES[code].status;
  return {
    status,
    code,
    message: message ?? MESSAGES[code] ?? ERROR_CODES[code].meaning,
    internal: status >= 500,
  };
}

/** `/address/city` + missing `zip` → `address.city.zip`; the root is `_`. */
function fieldsOf(validation: readonly FastifySchemaValidationError[]): Record<string, string> {
  const fields: Record<string, string> = {};
  for (const issue of validation) {
    const missing = issue.keyword === "required" ? issue.params.missingProperty : undefined;
    const segments = issue.instancePath.split("/").filter((s) => s !== "");
    if (typeof missing === "string") segments.push(missing);
    const name = segments.join(".") || "_";
    fields[name] ??= typeof missing === "string" ? "is required" : (issue.message ?? "is not valid");
  }
  return fields;
}

function stringRecord(value: unknown): Record<string, string> | undefined {
  if (value === null || typeof value !== "object") return undefined;
  const entries = Object.entries(value).filter(
    (entry): entry is [string, string] => typeof entry[1] === "string",
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

/**
 * Maps anything a route, hook or Fastify itself threw to what the client is
 * told. A MargError keeps its code, status and message (they are written for
 * users) — except a 5xx one's message where `serverErrorDetails` is off: it names
 * hosts, databases and variables for the operator, who finds it in the log under
 * the request id. Fastify's client errors get MARG codes; everything else is a
 * 500 whose message is hidden unless `debug` (local APP_DEBUG).
 */
export function toHttpError(
  error: unknown,
  options: { debug: boolean; serverErrorDetails?: boolean },
): HttpErrorView {
  if (isMargError(error)) {
    const status = error.status >= 400 && error.status <= 599 ? error.status : 500;
    const fields = stringRecord(error.details?.fields);
    const hidden = status >= 500 && !options.debug && options.serverErrorDetails === false;
    const generic = status === 503 ? UNAVAILABLE_MESSAGE : (MESSAGES.E_HTTP_INTERNAL ?? "");
    return {
      status,
      code: error.code,
      message: hidden ? generic : error.message,
      internal: status >= 500,
      ...(fields && { fields }),
    };
  }
  const fastify = error as { code?: unknown; statusCode?: unknown; validation?: unknown };
  if (Array.isArray(fastify.validation)) {
    return { ...viewFor("E_VALIDATION"), fields: fieldsOf(fastify.validation) };
  }
  const known = typeof fastify.code === "string" ? FASTIFY_CODES[fastify.code] : undefined;
  if (known !== undefined) {
    return fastify.code === "FST_ERR_CTP_INVALID_JSON_BODY"
      ? viewFor(known, "The request body is not valid JSON. Fix it and send the request again.")
      : viewFor(known);
  }
  const status = typeof fastify.statusCode === "number" ? fastify.statusCode : 500;
  if (status >= 400 && status < 500) {
    return { ...viewFor(BY_STATUS[status] ?? "E_HTTP_BAD_REQUEST"), status };
  }
  const internal = viewFor("E_HTTP_INTERNAL");
  return options.debug && error instanceof Error && error.message !== ""
    ? { ...internal, message: error.message }
    : internal;
}
