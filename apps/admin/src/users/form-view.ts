import { csrfField, field, html, type SafeHtml } from "@marg/core/web";
import { pageHead, selectField } from "../shared/ui.js";

export interface UserFormValues {
  readonly name?: string;
  readonly email?: string;
  readonly role?: string;
  readonly sendResetLink?: boolean;
}

/** "New user": name, email, an initial password or a reset link, and a first role. */
export function userFormView(data: {
  csrf: string;
  values: UserFormValues;
  errors: Record<string, string>;
  roles: readonly string[];
}): SafeHtml {
  const { values, errors } = data;
  return html`${pageHead("New user")}
<div class="card">
<form class="stack" method="post" action="/users" novalidate>
  ${csrfField(data.csrf)}
  ${errors._ ? html`<p class="error" role="alert">${errors._}</p>` : ""}
  ${field({ name: "name", label: "Name", value: values.name, error: errors.name, required: true, autofocus: true, autocomplete: "off" })}
  ${field({ name: "email", label: "Email", type: "email", value: values.email, error: errors.email, required: true, autocomplete: "off" })}
  ${field({
    name: "password",
    label: "Initial password",
    type: "password",
    error: errors.password,
    autocomplete: "new-password",
    hint: "At least 12 characters. Leave empty to send a link instead.",
  })}
  <div class="field">
    <label><input type="checkbox" name="sendResetLink" value="on" ${values.sendResetLink ? html`checked` : ""}> Mail a link to choose a password</label>
  </div>
  ${selectField({
    name: "role",
    label: "Role",
    value: values.role ?? "",
    error: errors.role,
    choices: [{ value: "", label: "No role" }, ...data.roles.map((role) => ({ value: role, label: role }))],
  })}
  <div class="actions"><button type="submit">Create user</button><a class="button secondary" href="/users">Cancel</a></div>
</form>
</div>`;
}
