import { html, type SafeHtml } from "@marg/core/web";
import { emptyState, formatTime, pageHead, pagination, withQuery } from "../shared/ui.js";
import { diffAudit, showValue } from "./diff.js";
import type { AuditPage, AuditRecord } from "./repository.js";

function subjectLink(record: AuditRecord): SafeHtml {
  // A failed sign-in for an address with no account names no one.
  if (record.subjectType === "user" && record.subjectId === "")
    return html`<span class="muted">no account</span>`;
  if (record.subjectType === "user")
    return html`<a href="/users/${record.subjectId}">user #${record.subjectId}</a>`;
  if (record.subjectType === "role")
    return html`<a href="/roles/${record.subjectId}">role ${record.subjectId}</a>`;
  if (record.subjectType === "oidc_client")
    return html`<a href="/oidc-clients">sign-in client ${record.subjectId}</a>`;
  return html`${record.subjectType} ${record.subjectId}`;
}

function changes(record: AuditRecord): SafeHtml {
  const diff = diffAudit(record.before, record.after);
  if (diff.length === 0) return html`<span class="muted">—</span>`;
  return html`<ul class="plain changes">${diff.map(
    ({ field, before, after }) =>
      html`<li><code>${field}</code>: ${before === undefined ? "" : html`<del>${showValue(field, before.value)}</del>`}${
        before !== undefined && after !== undefined ? " → " : ""
      }${after === undefined ? "" : html`<ins>${showValue(field, after.value)}</ins>`}</li>`,
  )}</ul>`;
}

/** Audit rows as a table: when, who, what, on which subject, what changed. */
export function auditTable(records: readonly AuditRecord[]): SafeHtml {
  return html`<table class="list">
  <thead><tr><th scope="col">When</th><th scope="col">Who</th><th scope="col">Action</th><th scope="col">Subject</th><th scope="col">Change</th></tr></thead>
  <tbody>${records.map(
    (record) => html`<tr>
    <td>${formatTime(record.createdAt)}</td>
    <td>${record.actorUserId === null ? html`<span class="muted">system</span>` : html`<a href="/users/${record.actorUserId}">${record.actorName ?? `user #${record.actorUserId}`}</a>`}${
      record.ip ? html`<br><span class="muted">${record.ip}</span>` : ""
    }</td>
    <td><code>${record.action}</code></td>
    <td>${subjectLink(record)}</td>
    <td>${changes(record)}</td>
  </tr>`,
  )}</tbody>
</table>`;
}

export interface AuditFilters {
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
}

/** The audit log page: filters, table, pagination. */
export function auditLogView(data: { page: AuditPage; filters: AuditFilters }): SafeHtml {
  const { page, filters } = data;
  const params = { action: filters.action, subjectType: filters.subjectType, subjectId: filters.subjectId };
  const filtered = filters.action !== "" || filters.subjectType !== "" || filters.subjectId !== "";
  return html`${pageHead("Audit log")}
<p class="muted">Every change an administrator made (who, what, when, the state before and after) and every account event from every app (<code>account.</code>: sign-ins, sign-outs, two-factor, passkeys, tokens).</p>
<form class="filters" method="get" action="/audit" role="search">
  <div class="field"><label for="f-action">Action</label><input id="f-action" name="action" value="${filters.action}" placeholder="user.disable, user. or account."></div>
  <div class="field"><label for="f-subjectType">Subject type</label><input id="f-subjectType" name="subjectType" value="${filters.subjectType}" placeholder="user, role, job"></div>
  <div class="field"><label for="f-subjectId">Subject id</label><input id="f-subjectId" name="subjectId" value="${filters.subjectId}"></div>
  <button type="submit" class="secondary">Filter</button>
</form>
${
  page.items.length === 0
    ? filtered
      ? emptyState("Nothing matches", html`No entry matches these filters. <a href="/audit">Show all</a>.`)
      : emptyState("Nothing recorded yet", "Changes made in this app will be listed here.")
    : auditTable(page.items)
}
${pagination({ page: page.page, pages: page.pages, href: (n) => withQuery("/audit", { ...params, page: n }) })}`;
}
