import { csrfField, html, type SafeHtml } from "@marg/core/web";
import { formatCount, formatDate, pagination, shortUrl } from "./format.js";
import type { ListQuery } from "./input-schemas.js";
import type { LinkPage } from "./types.js";

export interface LinkListView {
  readonly page: LinkPage;
  readonly query: ListQuery;
  readonly tags: readonly string[];
  /** The public base of short links, e.g. `http://links.marg.localhost:8000`. */
  readonly baseUrl: string;
  readonly seesAll: boolean;
  readonly csrfToken: string;
  readonly can: {
    readonly create: boolean;
    readonly update: boolean;
    readonly delete: boolean;
    readonly stats: boolean;
  };
}

function filters(view: LinkListView): SafeHtml {
  return html`<form class="filters" method="get" action="/links" role="search">
  <div class="field"><label for="f-q">Search</label>
    <input id="f-q" type="search" name="q" value="${view.query.q}" placeholder="slug, title or address"></div>
  <div class="field"><label for="f-tag">Tag</label>
    <select id="f-tag" name="tag"><option value="">All tags</option>${view.tags.map(
      (tag) => html`<option value="${tag}" ${tag === view.query.tag ? html`selected` : ""}>${tag}</option>`,
    )}</select></div>
  <button type="submit" class="secondary">Filter</button>
  ${view.query.q !== "" || view.query.tag !== "" ? html`<a href="/links">Clear</a>` : ""}
</form>`;
}

function emptyState(view: LinkListView): SafeHtml {
  const filtered = view.query.q !== "" || view.query.tag !== "";
  return html`<div class="empty">
  ${
    filtered
      ? html`<p>No link matches these filters.</p><p><a href="/links">Show all links</a></p>`
      : html`<p>You have no short links yet.</p>
  ${view.can.create ? html`<p><a class="button" href="/links/new">Create your first short link</a></p>` : ""}`
  }
</div>`;
}

/** "My links": filters, the table, pagination, or an empty state that says what to do. */
export function linkListView(view: LinkListView): SafeHtml {
  const { items, total } = view.page;
  const rows = items.map((link) => {
    const short = `${view.baseUrl}/${link.slug}`;
    return html`<tr>
  <td><a href="${short}" class="slug">/${link.slug}</a>
    ${link.title === "" ? "" : html`<div>${link.title}</div>`}
    ${link.tags.length > 0 ? html`<div>${link.tags.map((tag) => html`<a class="badge" href="/links?tag=${encodeURIComponent(tag)}">${tag}</a> `)}</div>` : ""}</td>
  <td><a href="${link.targetUrl}" title="${link.targetUrl}" rel="noopener noreferrer">${shortUrl(link.targetUrl)}</a></td>
  <td>${link.enabled ? html`<span class="badge badge-ok">on</span>` : html`<span class="badge badge-warn">off</span>`}</td>
  <td>${formatCount(link.clicks)}</td>
  <td>${formatDate(link.createdAt)}</td>
  <td><div class="actions">
    ${view.can.stats ? html`<a href="/links/${link.id}/stats">Stats</a>` : ""}
    ${view.can.update ? html`<a href="/links/${link.id}/edit">Edit</a>` : ""}
    ${
      view.can.update
        ? html`<form class="inline" method="post" action="/links/${link.id}/toggle">${csrfField(view.csrfToken)}<button type="submit" class="link">${link.enabled ? "Switch off" : "Switch on"}</button></form>`
        : ""
    }
    ${view.can.delete ? html`<a href="/links/${link.id}/delete">Delete</a>` : ""}
  </div></td>
</tr>`;
  });
  return html`<div class="page-head">
  <h1>${view.seesAll ? "All links" : "My links"}</h1>
  ${view.can.create ? html`<a class="button" href="/links/new">New short link</a>` : ""}
</div>
${filters(view)}
${
  items.length === 0
    ? emptyState(view)
    : html`<p class="muted">${formatCount(total)} link${total === 1 ? "" : "s"}</p>
<table class="list">
  <thead><tr><th scope="col">Short link</th><th scope="col">Goes to</th><th scope="col">State</th><th scope="col">Clicks</th><th scope="col">Created</th><th scope="col"><span class="muted">Actions</span></th></tr></thead>
  <tbody>${rows}</tbody>
</table>
${pagination({
  path: "/links",
  page: view.page.page,
  perPage: view.page.perPage,
  total,
  params: { q: view.query.q, tag: view.query.tag },
})}`
}`;
}
