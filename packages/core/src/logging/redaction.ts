/**
 * What never reaches a log line. pino's redaction works on paths, so each
 * sensitive field name is listed at the top level and up to three levels deep
 * (`user.password`, `body.user.password`, …), which covers every object MARG logs.
 */
const SENSITIVE_FIELDS = [
  "password",
  "passwd",
  "token",
  "secret",
  "accessToken",
  "refreshToken",
  "apiKey",
  "authorization",
  "cookie",
];

/** Headers that carry credentials, wherever a request or response is logged. */
const SENSITIVE_HEADER_PATHS = [
  "req.headers.cookie",
  "req.headers.authorization",
  'req.headers["proxy-authorization"]',
  'req.headers["x-api-key"]',
  'res.headers["set-cookie"]',
  'headers["set-cookie"]',
  "headers.cookie",
  "headers.authorization",
];

const DEPTHS = ["", "*.", "*.*.", "*.*.*."];

/** The pino `redact.paths` list: every sensitive field at every depth, plus credential headers. */
export const REDACTED_PATHS: readonly string[] = [
  ...SENSITIVE_HEADER_PATHS,
  ...DEPTHS.flatMap((depth) => SENSITIVE_FIELDS.map((field) => `${depth}${field}`)),
];

/** What a redacted value is replaced with. */
export const REDACTED = "[redacted]";
