/**
 * HTML built with a tagged template that escapes every interpolated value, so a
 * task titled `<script>alert(1)</script>` always shows as text. Only values
 * wrapped in `SafeHtml` (from `html`…`` itself or `raw()`) pass through unescaped.
 *
 * @example
 * const page = html`<h1>${task.title}</h1>${items.map((i) => html`<li>${i}</li>`)}`;
 * page.toString();
 */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

const ESCAPES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
  "`": "&#96;",
};

const SPECIAL = /[&<>"'`]/;
const SPECIALS = /[&<>"'`]/g;

/**
 * Escapes text for element content and quoted attribute values: the one escaper of
 * the repository (`html`…`` and every hand-built page use it). The backtick is
 * escaped too, for old browsers that took it as an attribute quote.
 */
export function escapeHtml(value: string | number): string {
  const text = String(value);
  // Most values (names, ids, URLs) have nothing to escape: one test, no new string.
  return SPECIAL.test(text) ? text.replace(SPECIALS, (char) => ESCAPES[char] ?? char) : text;
}

export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false) return "";
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join("");
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0] ?? "";
  for (let i = 0; i < values.length; i += 1) out += render(values[i]) + (strings[i + 1] ?? "");
  return new SafeHtml(out);
}

/** Marks trusted markup as safe. Never pass user input. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}
