import { html, type SafeHtml } from "@marg/core/web";

/** "Previous · Page 2 of 5 · Next", with links built by `hrefFor(page)`; nothing when there is one page. */
export function paginationView(
  page: { readonly page: number; readonly pages: number; readonly total: number },
  hrefFor: (page: number) => string,
): SafeHtml | string {
  if (page.pages <= 1) return "";
  const previous =
    page.page > 1
      ? html`<a class="button secondary" rel="prev" href="${hrefFor(page.page - 1)}">Previous</a>`
      : "";
  const next =
    page.page < page.pages
      ? html`<a class="button secondary" rel="next" href="${hrefFor(page.page + 1)}">Next</a>`
      : "";
  return html`<nav class="pagination" aria-label="Pages">${previous}<span class="muted">Page ${page.page} of ${page.pages} · ${page.total} in all</span>${next}</nav>`;
}
