import { html, type SafeHtml } from "@marg/core/web";
import type { AuditRecord } from "../audit/repository.js";
import { auditTable } from "../audit/views.js";
import type { AppHealth } from "../health/service.js";
import { healthBadge } from "../health/views.js";
import { emptyState, pageHead } from "../shared/ui.js";

/** What the overview shows; a section is undefined when the user may not see it. */
export interface DashboardData {
  readonly users?: { readonly total: number; readonly disabled: number };
  readonly roles?: { readonly count: number };
  readonly queues?:
    | {
        readonly available: true;
        readonly waiting: number;
        readonly failed: number;
        readonly workers: number;
      }
    | { readonly available: false; readonly reason: string };
  readonly health?: readonly AppHealth[];
  readonly feedback?: { readonly total: number } | { readonly total: null };
  readonly audit?: readonly AuditRecord[];
}

function card(title: string, href: string, body: SafeHtml | string): SafeHtml {
  return html`<section class="card"><h2><a href="${href}">${title}</a></h2>${body}</section>`;
}

/** The control room: one card per area the user may see, and the latest audit entries. */
export function dashboardView(data: DashboardData): SafeHtml {
  const cards: SafeHtml[] = [];
  if (data.users) {
    cards.push(
      card(
        "Users",
        "/users",
        html`<p class="stat">${data.users.total}</p><p class="muted">${data.users.disabled} disabled</p>`,
      ),
    );
  }
  if (data.roles) {
    cards.push(
      card(
        "Roles",
        "/roles",
        html`<p class="stat">${data.roles.count}</p><p class="muted"><a href="/permissions">Who has what</a></p>`,
      ),
    );
  }
  if (data.queues) {
    const q = data.queues;
    cards.push(
      card(
        "Queues",
        "/queues",
        q.available
          ? html`<p class="stat">${q.waiting} waiting</p><p class="muted">${q.failed} failed · ${q.workers} ${q.workers === 1 ? "worker" : "workers"} alive</p>`
          : html`<p class="muted">${q.reason}</p>`,
      ),
    );
  }
  if (data.health) {
    cards.push(
      card(
        "Health",
        "/health-overview",
        html`<ul class="plain">${data.health.map((app) => html`<li>${app.title} ${healthBadge(app.status)}</li>`)}</ul>`,
      ),
    );
  }
  if (data.feedback) {
    cards.push(
      card(
        "Feedback",
        "/feedback",
        data.feedback.total === null
          ? html`<p class="muted">Not set up yet.</p>`
          : html`<p class="stat">${data.feedback.total}</p><p class="muted">messages</p>`,
      ),
    );
  }
  return html`${pageHead("Control room")}
<div class="grid-2">${cards}</div>
${
  data.audit === undefined
    ? ""
    : html`<h2>Latest changes</h2>${
        data.audit.length === 0
          ? emptyState("Nothing recorded yet", "Admin changes will be listed here.")
          : auditTable(data.audit)
      }<p><a href="/audit">The whole audit log</a></p>`
}`;
}
