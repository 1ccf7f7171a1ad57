import { html } from "./html.js";
import { type LayoutApp, renderLayout } from "./layout.js";
import type { ErrorPageContext, RenderErrorPage } from "./types.js";

/** Error pages (404, 403, 500…) in the ecosystem's look, with a way back. */
export function createLayoutErrorPage(options: {
  appId: string;
  appTitle: string;
  apps: readonly LayoutApp[];
}): RenderErrorPage {
  return (ctx: ErrorPageContext) =>
    renderLayout({
      title: ctx.title,
      appId: options.appId,
      appTitle: options.appTitle,
      apps: options.apps,
      showUserMenu: false,
      body: html`<section class="error-page">
  <div class="code">${ctx.status}</div>
  <h1>${ctx.title}</h1>
  <p>${ctx.message}</p>
  ${
    ctx.fields
      ? html`<ul>${Object.entries(ctx.fields).map(([name, problem]) => html`<li><strong>${name}</strong>: ${problem}</li>`)}</ul>`
      : ""
  }
  ${ctx.status === 401 ? html`<p><a class="button" href="/login">Sign in</a></p>` : html`<p><a class="button secondary" href="/">Go to the start page</a></p>`}
  ${ctx.requestId === "" ? "" : html`<p class="muted">Request id: <code>${ctx.requestId}</code></p>`}
  ${ctx.debugStack ? html`<pre>${ctx.debugStack}</pre>` : ""}
</section>`,
    });
}
