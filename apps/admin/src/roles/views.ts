import { type PermissionSummary, type RoleSummary, SUPER_ADMIN_ROLE } from "@marg/core/rbac";
import { csrfField, field, html, type SafeHtml } from "@marg/core/web";
import { badge, confirmButton, emptyState, pageHead, postButton } from "../shared/ui.js";

export interface RoleFormValues {
  readonly name?: string;
  readonly description?: string;
}

/** Every role with what it grants and how many hold it, and the "new role" form. */
export function roleListView(data: {
  csrf: string;
  roles: readonly RoleSummary[];
  values: RoleFormValues;
  errors: Record<string, string>;
}): SafeHtml {
  const table =
    data.roles.length === 0
      ? emptyState("No roles yet", "Create one below, or run `marg db:seed` for the defaults.")
      : html`<table class="list">
  <thead><tr><th scope="col">Role</th><th scope="col">Permissions</th><th scope="col">Users</th></tr></thead>
  <tbody>${data.roles.map(
    (role) => html`<tr>
    <td><a href="/roles/${role.name}"><strong>${role.name}</strong></a><br><span class="muted">${role.description ?? ""}</span></td>
    <td>${role.name === SUPER_ADMIN_ROLE ? html`<span class="muted">every permission, by its name</span>` : role.permissions.length === 0 ? html`<span class="muted">none</span>` : role.permissions.map((p) => html`${badge(p)} `)}</td>
    <td>${role.userCount}</td>
  </tr>`,
  )}</tbody>
</table>`;
  return html`${pageHead("Roles", html`<a class="button secondary" href="/permissions">Who has what</a>`)}
${table}
<h2 id="new-role">New role</h2>
<div class="card">
<form class="stack" method="post" action="/roles" novalidate>
  ${csrfField(data.csrf)}
  ${field({ name: "name", label: "Name", value: data.values.name, error: data.errors.name, required: true, hint: "Lowercase letters, digits and dashes, like support-staff." })}
  ${field({ name: "description", label: "Description", value: data.values.description, error: data.errors.description })}
  <div class="actions"><button type="submit">Create role</button></div>
</form>
</div>`;
}

export interface RoleMember {
  readonly id: number;
  readonly name: string;
  readonly email: string;
}

/** One role: its grants (grant/revoke per permission, grouped by app) and its users. */
export function roleDetailView(data: {
  csrf: string;
  role: RoleSummary;
  permissions: readonly PermissionSummary[];
  members: readonly RoleMember[];
  /** Whether the viewer may grant or revoke it (holds it); others show no button. Default: all. */
  changeable?: (permission: PermissionSummary) => boolean;
}): SafeHtml {
  const { role } = data;
  const builtIn = role.name === SUPER_ADMIN_ROLE;
  const base = `/roles/${role.name}`;
  const groups = new Map<string, PermissionSummary[]>();
  for (const permission of data.permissions) {
    const app = permission.app ?? "every app";
    groups.set(app, [...(groups.get(app) ?? []), permission]);
  }
  const grants = builtIn
    ? html`<p>The ${SUPER_ADMIN_ROLE} role passes every check by its name: its grants cannot be changed.</p>`
    : [...groups].map(
        ([app, permissions]) => html`<h3>${app}</h3>
<table class="list">
  <tbody>${permissions.map((permission) => {
    const held = role.permissions.includes(permission.name);
    return html`<tr>
    <td><code>${permission.name}</code><br><span class="muted">${permission.description ?? ""}</span></td>
    <td>${held ? badge("granted", "ok") : ""}</td>
    <td>${
      data.changeable?.(permission) === false
        ? html`<span class="muted" title="You do not hold it yourself">—</span>`
        : postButton({
            action: `${base}/${held ? "revoke" : "grant"}`,
            csrf: data.csrf,
            label: held ? "Revoke" : "Grant",
            variant: "secondary",
            fields: { permission: permission.name },
          })
    }</td>
  </tr>`;
  })}</tbody>
</table>`,
      );
  return html`${pageHead(
    `Role ${role.name}`,
    builtIn
      ? ""
      : confirmButton({
          action: `${base}/delete`,
          csrf: data.csrf,
          label: "Delete role…",
          question: `${role.userCount} ${role.userCount === 1 ? "user loses" : "users lose"} what this role gives, at once.`,
          confirmLabel: "Delete the role",
        }),
  )}
<p class="muted">${role.description ?? ""}</p>
<div class="grid-2">
<section aria-labelledby="grants"><h2 id="grants">Permissions</h2>${grants}</section>
<section aria-labelledby="members"><h2 id="members">Users with this role (${role.userCount})</h2>${
    data.members.length === 0
      ? emptyState("Nobody yet", "Assign the role from a user's page.")
      : html`<ul class="plain">${data.members.map(
          (member) =>
            html`<li><a href="/users/${member.id}">${member.name}</a> <span class="muted">${member.email}</span></li>`,
        )}</ul>`
  }${data.members.length < role.userCount ? html`<p class="muted">…and ${role.userCount - data.members.length} more.</p>` : ""}</section>
</div>`;
}
