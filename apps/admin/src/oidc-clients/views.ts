import type { OidcClient } from "@marg/core/oidc";
import { csrfField, field, html, type SafeHtml } from "@marg/core/web";
import {
  badge,
  confirmButton,
  emptyState,
  formatTime,
  pageHead,
  postButton,
  selectField,
} from "../shared/ui.js";

/** What the create form sends back when it is shown again with errors. */
export interface OidcClientFormValues {
  readonly clientId?: string;
  readonly name?: string;
  readonly redirectUris?: string;
  readonly postLogoutRedirectUris?: string;
  readonly backchannelLogoutUri?: string;
  readonly isPublic?: boolean;
  readonly firstParty?: boolean;
  readonly appScope?: string;
}

function checkbox(name: string, label: string, checked: boolean | undefined, hint: string): SafeHtml {
  return html`<div class="field">
  <label><input type="checkbox" name="${name}" value="1" ${checked ? html`checked` : ""}> ${label}</label>
  <span class="hint">${hint}</span>
</div>`;
}

function clientRow(client: OidcClient, csrf: string): SafeHtml {
  const base = `/oidc-clients/${client.clientId}`;
  return html`<tr>
    <td><strong>${client.name}</strong><br><code>${client.clientId}</code></td>
    <td>${badge(client.type)} ${client.firstParty ? badge("first-party", "ok") : ""}<br><span class="muted">app ${client.appScope ?? "—"}</span></td>
    <td>${client.redirectUris.map((uri) => html`<code>${uri}</code><br>`)}</td>
    <td>${formatTime(client.createdAt.getTime())}<br><span class="muted">secret ${client.type === "public" ? "none" : html`rotated ${formatTime(client.secretRotatedAt?.getTime())}`}</span></td>
    <td>${client.type === "confidential" ? postButton({ action: `${base}/rotate-secret`, csrf, label: "Rotate secret", variant: "secondary" }) : ""}
      ${confirmButton({
        action: `${base}/delete`,
        csrf,
        label: "Delete",
        question: `Delete ${client.name}? It can no longer sign anyone in; people signed in through it stay signed in there until its session ends.`,
        confirmLabel: `Delete ${client.clientId}`,
      })}</td>
  </tr>`;
}

/** The sign-in clients and the form that registers one. */
export function oidcClientListView(data: {
  csrf: string;
  clients: readonly OidcClient[];
  apps: readonly string[];
  values: OidcClientFormValues;
  errors: Record<string, string>;
}): SafeHtml {
  const { values, errors } = data;
  const table =
    data.clients.length === 0
      ? emptyState("No sign-in clients yet", "Register one below, or with `marg oidc:client create`.")
      : html`<table class="list">
  <thead><tr><th scope="col">Client</th><th scope="col">Kind</th><th scope="col">Redirect URIs</th><th scope="col">Created</th><th scope="col">Actions</th></tr></thead>
  <tbody>${data.clients.map((client) => clientRow(client, data.csrf))}</tbody>
</table>`;
  return html`${pageHead("Sign-in clients (OIDC)")}
<p class="muted">Applications that sign people in with their MARG account through OpenID Connect.</p>
${table}
<h2 id="new-client">New sign-in client</h2>
<div class="card">
<form class="stack" method="post" action="/oidc-clients" novalidate>
  ${csrfField(data.csrf)}
  ${field({ name: "clientId", label: "Client id", value: values.clientId, error: errors.clientId, required: true, hint: "A slug such as grafana: a-z, 0-9 and -." })}
  ${field({ name: "name", label: "Name", value: values.name, error: errors.name, required: true, hint: "Shown to people when they sign in." })}
  ${field({ name: "redirectUris", label: "Redirect URIs", type: "textarea", value: values.redirectUris, error: errors.redirectUris, required: true, hint: "One per line, matched exactly. https:// (http://localhost or 127.0.0.1 for native apps); no #fragment." })}
  ${field({ name: "postLogoutRedirectUris", label: "Post-logout redirect URIs", type: "textarea", value: values.postLogoutRedirectUris, error: errors.postLogoutRedirectUris, hint: "One per line; optional." })}
  ${field({ name: "backchannelLogoutUri", label: "Back-channel logout URI", value: values.backchannelLogoutUri, error: errors.backchannelLogoutUri, hint: "Where MARG posts a logout token when a session ends; optional." })}
  ${selectField({ name: "appScope", label: "App scope", value: values.appScope ?? "", error: errors.appScope, choices: [{ value: "", label: "None: no roles or permissions in its tokens" }, ...data.apps.map((app) => ({ value: app, label: app }))] })}
  ${checkbox("public", "Public client", values.isPublic, "A single-page or native app that cannot keep a secret: no secret, PKCE required.")}
  ${checkbox("firstParty", "First-party", values.firstParty, "One of your own apps: people are not asked to consent.")}
  ${errors.type ? html`<p class="error">${errors.type}</p>` : ""}
  <div class="actions"><button type="submit">Create client</button></div>
</form>
</div>`;
}

/** A secret, shown once (the page is sent no-store): after create or rotate. */
export function oidcClientSecretView(data: {
  client: OidcClient;
  secret: string;
  rotated: boolean;
}): SafeHtml {
  const { client } = data;
  return html`${pageHead(data.rotated ? `New secret for ${client.name}` : `${client.name} is registered`)}
<div class="card stack">
  <p><strong>Store the client secret now: it is shown only once.</strong> MARG keeps only its hash;
  if it is lost, rotate it for a new one.${data.rotated ? " The previous secret no longer works." : ""}</p>
  <dl>
    <dt>Client id</dt><dd><code>${client.clientId}</code></dd>
    <dt>Client secret</dt><dd><code class="secret" id="client-secret">${data.secret}</code></dd>
  </dl>
  <p><a class="button" href="/oidc-clients">Done, I have stored it</a></p>
</div>`;
}
