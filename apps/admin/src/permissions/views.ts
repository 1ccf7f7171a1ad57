import { html, type SafeHtml } from "@marg/core/web";
import { badge, emptyState, pageHead } from "../shared/ui.js";
import type { HoldingVia, PermissionCoverage, PermissionHolder } from "./repository.js";

function viaText(via: HoldingVia): SafeHtml {
  if (via.kind === "super-admin") return badge("super-admin", "warn");
  if (via.kind === "direct") return html`direct grant <code>${via.granted}</code>`;
  return html`role <a href="/roles/${via.role}">${via.role}</a>${via.granted.includes("*") ? html` (<code>${via.granted}</code>)` : ""}`;
}

/** "Who has what": every permission, the roles that give it and how many users hold it. */
export function permissionListView(data: { coverage: readonly PermissionCoverage[] }): SafeHtml {
  return html`${pageHead("Who has what", html`<a class="button secondary" href="/roles">Roles</a>`)}
${
  data.coverage.length === 0
    ? emptyState("No permissions", "Run `marg db:seed` to create the defaults.")
    : html`<table class="list">
  <thead><tr><th scope="col">Permission</th><th scope="col">App</th><th scope="col">Given by</th><th scope="col">Users</th></tr></thead>
  <tbody>${data.coverage.map(
    ({ permission, roles, userCount }) => html`<tr>
    <td><a href="/permissions/${encodeURIComponent(permission.name)}"><code>${permission.name}</code></a><br><span class="muted">${permission.description ?? ""}</span></td>
    <td>${permission.app ?? html`<span class="muted">all</span>`}</td>
    <td>${roles.map((role) => html`<a href="/roles/${role.role}">${role.role}</a>${role.granted !== permission.name && role.role !== "super-admin" ? html` <span class="muted">(${role.granted})</span>` : ""} `)}</td>
    <td>${userCount}</td>
  </tr>`,
  )}</tbody>
</table>`
}`;
}

/** One permission's holders and through which role or grant each holds it. */
export function permissionDetailView(data: {
  coverage: PermissionCoverage;
  holders: readonly PermissionHolder[];
  more: number;
}): SafeHtml {
  const { permission } = data.coverage;
  return html`${pageHead(`Who has ${permission.name}`)}
<p class="muted">${permission.description ?? ""}${permission.app ? ` · counts in ${permission.app}` : ""}</p>
${
  data.holders.length === 0
    ? emptyState("Nobody", "No role or direct grant gives this permission to anyone.")
    : html`<table class="list">
  <thead><tr><th scope="col">User</th><th scope="col">Status</th><th scope="col">Through</th></tr></thead>
  <tbody>${data.holders.map(
    (holder) => html`<tr>
    <td><a href="/users/${holder.userId}">${holder.name}</a><br><span class="muted">${holder.email}</span></td>
    <td>${holder.disabled ? badge("disabled", "danger") : badge("active", "ok")}</td>
    <td>${holder.via.map((via, index) => html`${index > 0 ? ", " : ""}${viaText(via)}`)}</td>
  </tr>`,
  )}</tbody>
</table>`
}
${data.more > 0 ? html`<p class="muted">…and ${data.more} more.</p>` : ""}`;
}
