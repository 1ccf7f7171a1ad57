/** Keys whose values never show on a page: passwords, tokens, keys, credentials, cookies. */
const SECRET_KEY = /pass|token|secret|key|authorization|cookie/i;

export const MASK = "[masked]";

/** Deepest level shown; below it values are summarised, so a hostile payload cannot blow the page up. */
const MAX_DEPTH = 8;

/**
 * A copy of a job payload safe to show an administrator: every value under a
 * key that looks secret (at any depth, in arrays too) replaced by "[masked]".
 */
export function maskSecrets(value: unknown, depth = 0): unknown {
  if (Array.isArray(value)) {
    return depth >= MAX_DEPTH ? `[${value.length} items]` : value.map((item) => maskSecrets(item, depth + 1));
  }
  if (typeof value === "object" && value !== null) {
    if (depth >= MAX_DEPTH) return "[object]";
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_KEY.test(key) ? MASK : maskSecrets(inner, depth + 1);
    }
    return out;
  }
  return value;
}

/** Masked, pretty JSON for a <pre>, cut at `maxLength` characters. */
export function maskedJson(value: unknown, maxLength = 4000): string {
  const text = JSON.stringify(maskSecrets(value), null, 2) ?? String(value);
  return text.length > maxLength
    ? `${text.slice(0, maxLength)}\n… (${text.length - maxLength} more characters)`
    : text;
}
