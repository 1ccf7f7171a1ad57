/**
 * What never reaches a log line: the value of any field with one of these names,
 * at any depth, is replaced by `[redacted]` — credentials in logged objects
 * (`user.password`, `body.form.token`) and in logged headers (`cookie`,
 * `authorization`, `set-cookie`, …).
 */
export const REDACTED_FIELDS: readonly string[] = [
  "password",
  "passwd",
  "token",
  "secret",
  "accessToken",
  "refreshToken",
  "apiKey",
  "authorization",
  "cookie",
  // Header names that carry credentials.
  "proxy-authorization",
  "x-api-key",
  "set-cookie",
];

/** What a redacted value is replaced with. */
export const REDACTED = "[redacted]";

const SENSITIVE = new Set(REDACTED_FIELDS);

// A field name in a JSON line always appears as `"name":`. Lines without one
// (almost all of them: request logs, events) are passed through untouched.
const MAY_NEED_REDACTION = new RegExp(`"(?:${REDACTED_FIELDS.map(escapeRegExp).join("|")})":`);

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\-]/g, "\\$&");
}

/** Replaces every sensitive field in a parsed JSON value, at any depth. */
function redactValue(value: unknown): void {
  if (Array.isArray(value)) {
    for (const item of value) redactValue(item);
    return;
  }
  if (typeof value !== "object" || value === null) return;
  const record = value as Record<string, unknown>;
  for (const key of Object.keys(record)) {
    if (SENSITIVE.has(key)) record[key] = REDACTED;
    else redactValue(record[key]);
  }
}

/**
 * Redacts one finished JSON log line (pino's `hooks.streamWrite`). Working on
 * the line as written, after serializers and `toJSON`, means nothing a
 * serializer adds can slip past, and the common line costs one regular-expression
 * test instead of a clone-and-walk per logged value (pino's path-based `redact`
 * cost ~30 µs for each request's two lines). A line that cannot be parsed is
 * withheld rather than written as it is.
 */
export function redactLogLine(line: string): string {
  if (!MAY_NEED_REDACTION.test(line)) return line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return `${JSON.stringify({ level: 50, msg: "log line withheld: it could not be checked for credentials" })}\n`;
  }
  redactValue(parsed);
  return `${JSON.stringify(parsed)}\n`;
}
