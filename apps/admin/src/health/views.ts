import { html, type SafeHtml } from "@marg/core/web";
import { badge, emptyState, pageHead } from "../shared/ui.js";
import type { AppHealth } from "./service.js";

export function healthBadge(status: AppHealth["status"]): SafeHtml {
  return badge(status, status === "healthy" ? "ok" : status === "unhealthy" ? "warn" : "danger");
}

function appCard(app: AppHealth): SafeHtml {
  return html`<section class="card" aria-labelledby="app-${app.id}">
  <div class="page-head"><h2 id="app-${app.id}">${app.title}</h2>${healthBadge(app.status)}</div>
  <p class="muted"><a href="${app.url}/health">${app.url}/health</a> · ${app.httpStatus === null ? "no answer" : `HTTP ${app.httpStatus}`} · ${app.latencyMs} ms</p>
  ${app.error ? html`<p class="error-text">${app.error}</p>` : ""}
  ${
    app.checks.length === 0
      ? ""
      : html`<table class="list">
    <thead><tr><th scope="col">Check</th><th scope="col">Status</th><th scope="col">Latency</th></tr></thead>
    <tbody>${app.checks.map(
      (check) =>
        html`<tr><td>${check.name}</td><td>${badge(check.status, check.ok ? "ok" : "danger")}${
          check.error ? html`<br><span class="muted">${check.error}</span>` : ""
        }</td><td>${check.latencyMs === null ? "—" : `${check.latencyMs} ms`}</td></tr>`,
    )}</tbody>
  </table>`
  }
</section>`;
}

/** Every app's /health, side by side. */
export function healthOverviewView(data: { apps: readonly AppHealth[]; checkedAt: number }): SafeHtml {
  const healthy = data.apps.filter((app) => app.status === "healthy").length;
  return html`${pageHead("Health", html`<a class="button secondary" href="/health-overview">Check again</a>`)}
<p class="muted">${healthy} of ${data.apps.length} ${data.apps.length === 1 ? "app" : "apps"} healthy, asked just now. Each app's <code>/health</code> is what the load balancer sees.</p>
${data.apps.length === 0 ? emptyState("No apps", "MARG_APPS lists no app.") : html`<div class="grid-2">${data.apps.map(appCard)}</div>`}`;
}
