import { hasSecondFactor, type SecondFactors, type User } from "@marg/core/auth";
import type { SessionDevice } from "@marg/core/session";
import { html, type SafeHtml, sessionDevicesTable } from "@marg/core/web";
import type { AuditRecord } from "../audit/repository.js";
import { auditTable } from "../audit/views.js";
import {
  badge,
  confirmButton,
  emptyState,
  formatTime,
  pageHead,
  postButton,
  selectField,
} from "../shared/ui.js";
import { userStatusBadge } from "./list-view.js";

export interface UserDetail {
  readonly user: User;
  readonly roles: readonly string[];
  readonly directPermissions: readonly string[];
  /** Every live session of the user, on every app. */
  readonly sessions: readonly SessionDevice[];
  /** The authenticator app and passkeys the user signs in with after the password. */
  readonly secondFactors: SecondFactors;
}

/** "Authenticator app and 2 passkeys", or "Off". */
function secondFactorsText(factors: SecondFactors): string {
  const parts = [
    ...(factors.totp ? ["Authenticator app"] : []),
    ...(factors.passkeys > 0
      ? [`${factors.passkeys} ${factors.passkeys === 1 ? "passkey" : "passkeys"}`]
      : []),
  ];
  return parts.length === 0 ? "Off" : parts.join(" and ");
}

export interface UserDetailAbilities {
  readonly manageUsers: boolean;
  readonly manageRoles: boolean;
  readonly viewAudit: boolean;
}

/** One user: facts, status actions, roles, direct grants and recent audit entries. */
export function userDetailView(data: {
  csrf: string;
  detail: UserDetail;
  self: boolean;
  can: UserDetailAbilities;
  allRoles: readonly string[];
  allPermissions: readonly string[];
  audit: readonly AuditRecord[];
  errors: Record<string, string>;
}): SafeHtml {
  const { user, roles, directPermissions } = data.detail;
  const base = `/users/${user.id}`;
  const disabled = user.disabledAt !== null;
  const statusActions = !data.can.manageUsers
    ? ""
    : html`${
        disabled
          ? postButton({ action: `${base}/enable`, csrf: data.csrf, label: "Enable" })
          : data.self
            ? ""
            : confirmButton({
                action: `${base}/disable`,
                csrf: data.csrf,
                label: "Disable…",
                question: `${user.name} will be signed out everywhere at once and cannot sign in until enabled again.`,
                confirmLabel: "Disable and sign out",
              })
      }
      ${disabled ? "" : postButton({ action: `${base}/reset-password`, csrf: data.csrf, label: "Send reset link", variant: "secondary" })}
      ${
        data.self || !hasSecondFactor(data.detail.secondFactors)
          ? ""
          : confirmButton({
              action: `${base}/reset-two-factor`,
              csrf: data.csrf,
              label: "Reset two-factor…",
              question: `For a lost phone: removes ${user.name}'s authenticator app, recovery codes and passkeys. Their password alone signs them in until they set two-factor up again. Make sure it is really them asking.`,
              confirmLabel: "Reset two-factor sign-in",
            })
      }`;

  const assignable = data.allRoles.filter((role) => !roles.includes(role));
  const grantable = data.allPermissions.filter((permission) => !directPermissions.includes(permission));
  return html`${pageHead(user.name, statusActions)}
<div class="grid-2">
<section class="card" aria-labelledby="facts">
  <h2 id="facts">Account</h2>
  <dl class="facts">
    <dt>Email</dt><dd>${user.email}</dd>
    <dt>Status</dt><dd>${userStatusBadge(user)} ${disabled ? html`since ${formatTime(user.disabledAt)}` : ""}</dd>
    <dt>Two-factor</dt><dd>${secondFactorsText(data.detail.secondFactors)}</dd>
    <dt>Open sessions</dt><dd>${data.detail.sessions.length}</dd>
    <dt>Last sign-in</dt><dd>${formatTime(user.lastLoginAt)}</dd>
    <dt>Password changed</dt><dd>${formatTime(user.passwordChangedAt)}</dd>
    <dt>Created</dt><dd>${formatTime(user.createdAt)}</dd>
  </dl>
</section>
<section class="card" aria-labelledby="roles">
  <h2 id="roles">Roles</h2>
  ${
    roles.length === 0
      ? html`<p class="muted">No roles: this user can do nothing yet.</p>`
      : html`<ul class="plain">${roles.map(
          (role) =>
            html`<li>${badge(role)} ${
              data.can.manageRoles && !data.self
                ? postButton({
                    action: `${base}/roles/remove`,
                    csrf: data.csrf,
                    label: "Remove",
                    variant: "secondary",
                    fields: { role },
                  })
                : ""
            }</li>`,
        )}</ul>`
  }
  ${
    data.can.manageRoles && assignable.length > 0
      ? html`<form class="filters" method="post" action="${base}/roles">
    <input type="hidden" name="_csrf" value="${data.csrf}">
    ${selectField({ name: "role", label: "Add a role", choices: assignable.map((role) => ({ value: role, label: role })), error: data.errors.role })}
    <button type="submit" class="secondary">Assign</button>
  </form>`
      : ""
  }
  <h2>Direct permissions</h2>
  ${
    directPermissions.length === 0
      ? html`<p class="muted">None: everything comes from roles.</p>`
      : html`<ul class="plain">${directPermissions.map(
          (permission) =>
            html`<li><code>${permission}</code> ${
              data.can.manageRoles
                ? postButton({
                    action: `${base}/permissions/remove`,
                    csrf: data.csrf,
                    label: "Revoke",
                    variant: "secondary",
                    fields: { permission },
                  })
                : ""
            }</li>`,
        )}</ul>`
  }
  ${
    data.can.manageRoles && grantable.length > 0
      ? html`<form class="filters" method="post" action="${base}/permissions">
    <input type="hidden" name="_csrf" value="${data.csrf}">
    ${selectField({ name: "permission", label: "Grant a permission", choices: grantable.map((name) => ({ value: name, label: name })), error: data.errors.permission })}
    <button type="submit" class="secondary">Grant</button>
  </form>`
      : ""
  }
</section>
</div>
<h2 id="sessions">Sessions</h2>
${
  data.detail.sessions.length === 0
    ? emptyState("Signed out", "This user has no open session on any app.")
    : sessionDevicesTable({
        devices: data.detail.sessions,
        csrf: data.csrf,
        endAction: data.can.manageUsers ? (handle) => `${base}/sessions/${handle}/end` : null,
      })
}
${
  data.can.viewAudit
    ? html`<h2>Recent changes</h2>${
        data.audit.length === 0
          ? emptyState("Nothing recorded", "No admin has changed this account yet.")
          : auditTable(data.audit)
      }<p><a href="/audit?subjectType=user&amp;subjectId=${user.id}">Full history</a></p>`
    : ""
}`;
}
