import { csrfField, field } from "../form.js";
import { html, type SafeHtml } from "../html.js";
import { passkeySignInButton } from "./passkey-views.js";

type Values = Readonly<Record<string, string | undefined>>;
type Errors = Readonly<Record<string, string | undefined>>;

export function signInView(o: {
  csrf: string;
  next: string;
  values: Values;
  error?: string;
  registration: boolean;
}) {
  return html`<div class="card narrow">
  <h1>Sign in</h1>
  <p class="muted">One account for every MARG app.</p>
  ${o.error ? html`<div class="flash flash-error" role="alert">${o.error}</div>` : ""}
  <form class="stack" method="post" action="/login" novalidate>
    ${csrfField(o.csrf)}
    <input type="hidden" name="next" value="${o.next}">
    ${field({ name: "email", label: "Email", type: "email", value: o.values.email, autocomplete: "username", required: true, autofocus: true })}
    ${field({ name: "password", label: "Password", type: "password", autocomplete: "current-password", required: true })}
    <div class="actions"><button type="submit">Sign in</button><a href="/forgot-password">Forgot your password?</a></div>
  </form>
  ${passkeySignInButton({ csrf: o.csrf, next: o.next })}
  ${o.registration ? html`<p class="muted">New here? <a href="/register">Create an account</a>.</p>` : ""}
</div>`;
}

/** Sign-up asks only for the address: name and password come with the mailed link (see joinView). */
export function registerView(o: { csrf: string; values: Values; errors: Errors; sent?: boolean }): SafeHtml {
  return html`<div class="card narrow">
  <h1>Create an account</h1>
  ${
    o.sent === true
      ? html`<p role="status">Check your mail: a message to that address says how to go on. A link to finish creating an account works once, for 24 hours.</p>`
      : html`<p class="muted">We'll mail you a link to choose your name and password.</p>`
  }
  <form class="stack" method="post" action="/register" novalidate>
    ${csrfField(o.csrf)}
    ${field({ name: "email", label: "Email", type: "email", value: o.values.email, error: o.errors.email, autocomplete: "email", required: true, autofocus: true })}
    <div class="actions"><button type="submit">Send link</button><a href="/login">I have an account</a></div>
  </form>
</div>`;
}

/** The page of a sign-up or invitation link: the owner of the address picks a name and a password. */
export function joinView(o: {
  csrf: string;
  token: string;
  email: string;
  values: Values;
  errors: Errors;
}): SafeHtml {
  return html`<div class="card narrow">
  <h1>Set up your account</h1>
  <p class="muted">For ${o.email}.</p>
  <form class="stack" method="post" action="/join" novalidate>
    ${csrfField(o.csrf)}
    <input type="hidden" name="token" value="${o.token}">
    ${field({ name: "name", label: "Name", value: o.values.name, error: o.errors.name, autocomplete: "name", required: true, autofocus: true })}
    ${field({ name: "password", label: "Password", type: "password", error: o.errors.password, autocomplete: "new-password", hint: "At least 12 characters.", required: true })}
    <div class="actions"><button type="submit">Create account</button></div>
  </form>
</div>`;
}

/** A sign-up or invitation link that cannot be used (unknown, used, expired). */
export function joinInvalidView(message: string): SafeHtml {
  return html`<div class="card narrow">
  <h1>This link cannot be used</h1>
  <div class="flash flash-error" role="alert">${message}</div>
  <p><a href="/login">Go to sign in</a></p>
</div>`;
}

export function forgotPasswordView(o: {
  csrf: string;
  values: Values;
  sent: boolean;
  error?: string;
}): SafeHtml {
  return html`<div class="card narrow">
  <h1>Reset your password</h1>
  ${
    o.sent
      ? html`<p role="status">If an account uses that address, a link to reset its password is on its way. It works once, for 60 minutes.</p>`
      : html`<p class="muted">We'll mail you a link to choose a new password.</p>`
  }
  <form class="stack" method="post" action="/forgot-password" novalidate>
    ${csrfField(o.csrf)}
    ${field({ name: "email", label: "Email", type: "email", value: o.values.email, error: o.error, autocomplete: "email", required: true })}
    <div class="actions"><button type="submit">Send link</button><a href="/login">Back to sign in</a></div>
  </form>
</div>`;
}

export function resetPasswordView(o: { csrf: string; token: string; errors: Errors }): SafeHtml {
  return html`<div class="card narrow">
  <h1>Choose a new password</h1>
  ${o.errors.token ? html`<div class="flash flash-error" role="alert">${o.errors.token} <a href="/forgot-password">Request a new link</a>.</div>` : ""}
  <form class="stack" method="post" action="/reset-password" novalidate>
    ${csrfField(o.csrf)}
    <input type="hidden" name="token" value="${o.token}">
    ${field({ name: "password", label: "New password", type: "password", error: o.errors.password, autocomplete: "new-password", hint: "At least 12 characters.", required: true, autofocus: true })}
    <div class="actions"><button type="submit">Set password</button></div>
  </form>
</div>`;
}

export function accountView(o: {
  csrf: string;
  name: string;
  email: string;
  errors: Errors;
  /** Cards the account features add (devices, two-factor, passkeys, tokens…). */
  sections: readonly SafeHtml[];
}): SafeHtml {
  return html`<div class="page-head"><h1>Your account</h1></div>
<div class="grid-2">
  <section class="card" aria-labelledby="profile-h">
    <h2 id="profile-h">Profile</h2>
    <form class="stack" method="post" action="/account/profile" novalidate>
      ${csrfField(o.csrf)}
      ${field({ name: "name", label: "Name", value: o.name, error: o.errors.name, autocomplete: "name", required: true })}
      <p class="muted">Email: ${o.email}</p>
      <div class="actions"><button type="submit">Save</button></div>
    </form>
  </section>
  <section class="card" aria-labelledby="password-h">
    <h2 id="password-h">Password</h2>
    <form class="stack" method="post" action="/account/password" novalidate>
      ${csrfField(o.csrf)}
      ${field({ name: "current_password", label: "Current password", type: "password", error: o.errors.current_password, autocomplete: "current-password", required: true })}
      ${field({ name: "password", label: "New password", type: "password", error: o.errors.password, autocomplete: "new-password", hint: "At least 12 characters. Other devices are signed out.", required: true })}
      <div class="actions"><button type="submit">Change password</button></div>
    </form>
  </section>
  ${o.sections}
</div>`;
}
