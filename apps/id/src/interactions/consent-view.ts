import { csrfField, html, type SafeHtml } from "@marg/core/web";

/** What each scope lets the application know, as the consent page says it. */
const SCOPE_TEXT: Readonly<Record<string, string>> = {
  openid: "Know who you are (your MARG account id)",
  email: "See your email address",
  profile: "See your name",
  offline_access: "Stay signed in when you are away (refresh tokens)",
  roles: "See your roles and permissions in its app",
};

export interface ConsentViewData {
  readonly uid: string;
  readonly clientName: string;
  readonly scopes: readonly string[];
  readonly csrfToken: string;
  readonly userName: string;
}

export function consentView(data: ConsentViewData): SafeHtml {
  return html`<div class="card narrow">
  <h1>Allow ${data.clientName}?</h1>
  <p><strong>${data.clientName}</strong> wants to sign you in with your MARG account, ${data.userName}. It will be able to:</p>
  <ul class="scopes">${data.scopes.map((scope) => html`<li>${SCOPE_TEXT[scope] ?? scope}</li>`)}</ul>
  <form method="post" action="/interaction/${data.uid}/confirm">
    ${csrfField(data.csrfToken)}
    <div class="actions">
      <button type="submit" name="decision" value="allow" class="button">Allow</button>
      <button type="submit" name="decision" value="deny" class="button secondary">Deny</button>
    </div>
  </form>
</div>`;
}

export function interactionGoneView(): SafeHtml {
  return html`<div class="card narrow">
  <h1>This sign-in has expired</h1>
  <p>Go back to the application and sign in again.</p>
</div>`;
}
