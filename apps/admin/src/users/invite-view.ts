import { csrfField, field, html, type SafeHtml } from "@marg/core/web";
import { pageHead } from "../shared/ui.js";

export interface InviteFormValues {
  readonly email?: string;
  readonly roles?: readonly string[];
}

/** "Invite by email": the address, and which of the inviter's roles the account starts with. */
export function userInviteView(data: {
  csrf: string;
  values: InviteFormValues;
  errors: Record<string, string>;
  /** The roles this administrator may hand out (see grantableRoles). */
  roles: readonly string[];
}): SafeHtml {
  const { values, errors } = data;
  const chosen = new Set(values.roles ?? []);
  return html`${pageHead("Invite by email")}
<div class="card">
<p class="muted">The person gets a link, valid for 7 days and usable once, to choose their name and password. The account exists only once they do.</p>
<form class="stack" method="post" action="/users/invite" novalidate>
  ${csrfField(data.csrf)}
  ${field({ name: "email", label: "Email", type: "email", value: values.email, error: errors.email, required: true, autofocus: true, autocomplete: "off" })}
  <fieldset class="field" ${errors.roles ? html`aria-describedby="f-roles-error"` : ""}>
    <legend>Roles</legend>
    ${
      data.roles.length === 0
        ? html`<p class="muted">No role is yours to hand out: the account will start without one.</p>`
        : data.roles.map(
            (role) =>
              html`<label><input type="checkbox" name="roles" value="${role}" ${chosen.has(role) ? html`checked` : ""}> ${role}</label>`,
          )
    }
    ${errors.roles ? html`<span class="error" id="f-roles-error">${errors.roles}</span>` : ""}
  </fieldset>
  <div class="actions"><button type="submit">Send invitation</button><a class="button secondary" href="/users">Cancel</a></div>
</form>
</div>`;
}
