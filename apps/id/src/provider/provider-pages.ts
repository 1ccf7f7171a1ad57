import { escapeHtml, html } from "@marg/core/web";
import type { ErrorOut, KoaContextWithOIDC } from "oidc-provider";
import { margRequestOf } from "./marg-request.js";

/**
 * The provider's own pages (errors shown to the person, the sign-out question
 * and its result) in MARG's layout when the request came through the Fastify
 * bridge; a bare escaped page otherwise. Never inline script or style: MARG's
 * CSP forbids them.
 */
async function render(ctx: KoaContextWithOIDC, title: string, body: ReturnType<typeof html>): Promise<void> {
  ctx.type = "html";
  const marg = margRequestOf(ctx.req);
  ctx.body =
    marg === undefined
      ? `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(title)}</title></head><body>${body.toString()}</body></html>`
      : await marg.renderPage({ title, body, status: ctx.status });
}

/**
 * An error the provider shows instead of redirecting (an unknown client, a
 * redirect_uri that is not registered, an expired interaction): the OAuth error
 * code and its description, nothing else (no code, token or secret is in them).
 */
export async function renderProviderError(ctx: KoaContextWithOIDC, out: ErrorOut): Promise<void> {
  const description = out.error_description ?? "";
  await render(
    ctx,
    "Sign-in could not continue",
    html`<section class="card"><h1>Sign-in could not continue</h1>
      <p>The application that sent you here made a request MARG cannot accept.</p>
      <p><code>${out.error}</code>${description === "" ? "" : html`: ${description}`}</p>
      <p><a href="/">Back to MARG</a></p></section>`,
  );
}

/**
 * The RP-initiated sign-out question. "Yes" ends the OIDC session and the MARG
 * session (every MARG app); "No" only forgets the asking application. The xsrf
 * value is the provider's own token for this form.
 */
export async function renderLogoutQuestion(ctx: KoaContextWithOIDC): Promise<void> {
  const secret = String(ctx.oidc.session?.state?.secret ?? "");
  const client = ctx.oidc.client?.clientName ?? ctx.oidc.client?.clientId;
  const action = ctx.oidc.urlFor("end_session_confirm");
  await render(
    ctx,
    "Sign out",
    html`<section class="card"><h1>Sign out of MARG?</h1>
      <p>${client === undefined ? "An application" : html`<strong>${client}</strong>`} asked to sign you out.
      Signing out ends your MARG session on every MARG app.</p>
      <form method="post" action="${action}">
        <input type="hidden" name="xsrf" value="${secret}">
        <button type="submit" name="logout" value="yes" class="button">Yes, sign me out</button>
        <button type="submit" class="button secondary">No, stay signed in</button>
      </form></section>`,
  );
}

export async function renderLogoutDone(ctx: KoaContextWithOIDC): Promise<void> {
  await render(
    ctx,
    "Signed out",
    html`<section class="card"><h1>You are signed out</h1><p><a href="/login">Sign in again</a></p></section>`,
  );
}
