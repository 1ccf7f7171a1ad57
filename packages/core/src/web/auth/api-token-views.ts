import type { ApiToken } from "../../auth/api-tokens/api-token-service.js";
import { csrfField, field } from "../form.js";
import { html, type SafeHtml } from "../html.js";

const when = (ms: number | null, none: string) =>
  ms === null ? none : `${new Date(ms).toISOString().slice(0, 16).replace("T", " ")} UTC`;

function tokenRow(token: ApiToken, csrf: string): SafeHtml {
  const state =
    token.revokedAt !== null
      ? html`<span class="badge badge-danger">revoked</span>`
      : token.expiresAt !== null && token.expiresAt <= Date.now()
        ? html`<span class="badge badge-warn">expired</span>`
        : html`<span class="badge badge-ok">live</span>`;
  return html`<tr>
    <td>${token.name}<br><span class="muted">${token.permissions.join(", ")}${
      token.apps === null ? "" : ` · ${token.apps.join(", ")} only`
    }</span></td>
    <td>${when(token.lastUsedAt, "never")}</td>
    <td>${when(token.expiresAt, "never")}</td>
    <td>${state}</td>
    <td>${
      token.revokedAt === null
        ? html`<form class="inline" method="post" action="/account/tokens/${token.id}/revoke">
        ${csrfField(csrf)}<button class="link" type="submit">Revoke</button></form>`
        : ""
    }</td>
  </tr>`;
}

/**
 * The account page's "API tokens" card: the holder's tokens (never their values) and
 * the form for a new one: a name, the permissions it may use (ticked from what the
 * user holds, or typed as patterns), the apps it works on, an optional expiry.
 */
export function apiTokensCard(o: {
  csrf: string;
  tokens: readonly ApiToken[];
  held: readonly string[];
  apps: readonly string[];
}): SafeHtml {
  return html`<section class="card" aria-labelledby="tokens-h">
  <h2 id="tokens-h">API tokens</h2>
  <p class="muted">For scripts: send <code>Authorization: Bearer …</code> to <code>/api/v1</code>. A token can do what both you and its permissions allow.</p>
  ${
    o.tokens.length === 0
      ? html`<p>You have no API tokens.</p>`
      : html`<table class="list"><thead><tr><th>Name</th><th>Last used</th><th>Expires</th><th>State</th><th></th></tr></thead>
      <tbody>${o.tokens.map((token) => tokenRow(token, o.csrf))}</tbody></table>`
  }
  <form class="stack" method="post" action="/account/tokens" novalidate>
    ${csrfField(o.csrf)}
    ${field({ name: "name", label: "Token name", required: true, hint: "What it is for, e.g. nightly export." })}
    <fieldset class="field">
      <legend>Permissions</legend>
      ${o.held.map(
        (permission) =>
          html`<label><input type="checkbox" name="permissions" value="${permission}"> ${permission}</label>`,
      )}
      ${field({ name: "permissions_text", label: "Or name them", hint: "Comma-separated, e.g. tasks.view, links.* — a part of what you hold." })}
    </fieldset>
    <fieldset class="field">
      <legend>Apps</legend>
      <span class="hint">None ticked: every app.</span>
      ${o.apps.map((app) => html`<label><input type="checkbox" name="apps" value="${app}"> ${app}</label>`)}
    </fieldset>
    ${field({ name: "expires", label: "Expires", type: "date", hint: "Optional: it works through that day (UTC)." })}
    <div class="actions"><button type="submit">Create token</button></div>
  </form>
</section>`;
}

/** The one time a token is shown: after it is created, never stored anywhere readable. */
export function newApiTokenView(o: { token: string; record: ApiToken }): SafeHtml {
  return html`<div class="card narrow">
  <h1>Your new API token</h1>
  <p role="status">Copy it now: it is shown only this once. Anyone with it can act as you within its permissions (${o.record.permissions.join(", ")}).</p>
  <p><code class="secret">${o.token}</code></p>
  <p class="muted">Send it as <code>Authorization: Bearer ${o.token.slice(0, 12)}…</code> on <code>/api/v1</code>.</p>
  <div class="actions"><a class="button" href="/account">Back to your account</a></div>
</div>`;
}
