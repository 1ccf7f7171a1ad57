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
  // OpenID Connect's names (the id app's token endpoint, a client's registration), and the
  // two-factor recovery codes a JSON client is sent once.
  "client_secret",
  "clientSecret",
  "access_token",
  "refresh_token",
  "id_token",
  "code_verifier",
  "recoveryCodes",
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
 * Query parameters whose values never reach a log line, wherever a URL appears in
 * it (the access log's `url`, an error message quoting the URL, a logged link):
 * a password-reset link stays usable for an hour, a CSRF token for the session.
 * LOG_REDACT_PARAMS adds more names.
 */
export const REDACTED_QUERY_PARAMS: readonly string[] = [
  "token",
  "_csrf",
  "password",
  "signature",
  // OAuth 2.0 / OpenID Connect (the id app): a code or token in a URL is a credential.
  "code",
  "code_verifier",
  "client_secret",
  "id_token_hint",
  "id_token",
  "access_token",
  "refresh_token",
];

/**
 * Replaces the value of every named query parameter in `text` (a URL, or a whole
 * JSON line): `/reset-password?token=abc&x=1` → `/reset-password?token=[redacted]&x=1`.
 * Names match case-insensitively; a value ends at `&`, `#`, whitespace or the end
 * of a JSON string (escaped characters inside it are consumed with it).
 */
export function createQueryRedactor(extraParams: readonly string[] = []): (text: string) => string {
  const names = [...new Set([...REDACTED_QUERY_PARAMS, ...extraParams].map((name) => name.trim()))].filter(
    (name) => name !== "",
  );
  const pattern = new RegExp(
    `([?&;](?:${names.map(escapeRegExp).join("|")})=)(?:[^&#\\s"\\\\]|\\\\.)*`,
    "gi",
  );
  return (text) => (text.includes("=") ? text.replace(pattern, `$1${REDACTED}`) : text);
}

/**
 * A line redactor (pino's `hooks.streamWrite`): secret query parameters in any URL
 * on the line, then every sensitive field. Working on the line as written, after
 * serializers and `toJSON`, means nothing a serializer adds can slip past, and the
 * common line costs two regular-expression scans instead of a clone-and-walk per
 * logged value (pino's path-based `redact` cost ~30 µs for each request's two
 * lines). A line that cannot be parsed is withheld rather than written as it is.
 */
export function createLineRedactor(extraParams: readonly string[] = []): (line: string) => string {
  const redactQuery = createQueryRedactor(extraParams);
  return (written) => {
    const line = redactQuery(written);
    if (!MAY_NEED_REDACTION.test(line)) return line;
    let parsed: unknown;
    try {
      parsed = JSON.parse(line);
    } catch {
      return `${JSON.stringify({ level: 50, msg: "log line withheld: it could not be checked for credentials" })}\n`;
    }
    redactValue(parsed);
    return `${JSON.stringify(parsed)}\n`;
  };
}

/** Redacts one finished JSON log line with the built-in names only (see createLineRedactor). */
export const redactLogLine: (line: string) => string = createLineRedactor();
