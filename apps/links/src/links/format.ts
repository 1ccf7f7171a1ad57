import { html, type SafeHtml } from "@marg/core/web";

/** `2026-12-02` from epoch ms (UTC, like the click days). */
export function formatDate(epochMs: number): string {
  return new Date(epochMs).toISOString().slice(0, 10);
}

/** 1234567 → "1,234,567". */
export function formatCount(count: number): string {
  return count.toLocaleString("en-US");
}

/** A long URL shortened for tables; the full one stays in the title attribute and the href. */
export function shortUrl(url: string, max = 60): string {
  return url.length <= max ? url : `${url.slice(0, max - 1)}…`;
}

/** Query string from the non-empty values, for links that keep the list's filters. */
export function queryString(params: Readonly<Record<string, string | number | undefined>>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== "") search.set(name, String(value));
  }
  const text = search.toString();
  return text === "" ? "" : `?${text}`;
}

/** Previous/next links with "page x of y"; nothing when everything fits on one page. */
export function pagination(options: {
  path: string;
  page: number;
  perPage: number;
  total: number;
  params: Readonly<Record<string, string>>;
}): SafeHtml | "" {
  const pages = Math.max(1, Math.ceil(options.total / options.perPage));
  if (pages <= 1) return "";
  const link = (page: number) => `${options.path}${queryString({ ...options.params, page })}`;
  return html`<nav class="pagination" aria-label="Pages">
  ${options.page > 1 ? html`<a class="button secondary" href="${link(options.page - 1)}" rel="prev">← Previous</a>` : ""}
  <span class="muted">Page ${options.page} of ${pages}</span>
  ${options.page < pages ? html`<a class="button secondary" href="${link(options.page + 1)}" rel="next">Next →</a>` : ""}
</nav>`;
}
