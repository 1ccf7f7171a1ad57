import { csrfField, field, html, type SafeHtml } from "@marg/core/web";
import { dateText, timeView } from "../shared/format.js";
import { paginationView } from "../shared/pagination-view.js";
import type { Page } from "../tasks/types.js";
import type { Report, ReportState } from "./types.js";

const STATE_BADGES: Record<ReportState, { cls: string; label: string }> = {
  queued: { cls: "badge", label: "Queued" },
  running: { cls: "badge badge-warn", label: "Being made" },
  ready: { cls: "badge badge-ok", label: "Ready" },
  failed: { cls: "badge badge-danger", label: "Failed" },
};

function reportRow(report: Report): SafeHtml {
  const badge = STATE_BADGES[report.state];
  return html`<tr>
  <td>Tasks created ${dateText(report.from)} – ${dateText(report.to)}${report.scope === "mine" ? html` <span class="muted">(yours)</span>` : ""}</td>
  <td><span class="${badge.cls}">${badge.label}</span>${report.state === "failed" && report.error ? html`<br><span class="muted">${report.error}</span>` : ""}</td>
  <td>${report.rowCount ?? "—"}</td>
  <td>${timeView(report.createdAt)}</td>
  <td>${report.state === "ready" ? html`<a href="/reports/${report.id}/download">Download CSV</a>` : html`<span class="muted">—</span>`}</td>
</tr>`;
}

/** The reports page: "export tasks" for a range, and the user's reports with their state. */
export function reportsView(o: {
  csrf: string;
  values: Readonly<Record<string, string | undefined>>;
  errors: Readonly<Record<string, string>>;
  reports: Page<Report>;
}): SafeHtml {
  return html`<div class="page-head"><h1>Reports</h1></div>
<div class="grid-2">
  <section class="card" aria-labelledby="export-heading">
    <h2 id="export-heading">Export tasks</h2>
    <p class="muted">A CSV of the tasks created in these days that you can see. It is made in the background and mailed to you when it is ready, as an attachment (as a link when it is too large for a mail); it also stays in the list below.</p>
    <form class="stack" method="post" action="/reports" novalidate>
      ${csrfField(o.csrf)}
      ${field({ name: "from", label: "From", type: "date", value: o.values.from, error: o.errors.from, required: true })}
      ${field({ name: "to", label: "To", type: "date", value: o.values.to, error: o.errors.to, hint: "Inclusive; at most a year.", required: true })}
      ${o.errors._ ? html`<p class="error" role="alert">${o.errors._}</p>` : ""}
      <div class="actions"><button type="submit">Export tasks</button></div>
    </form>
  </section>
  <section class="card" aria-labelledby="your-reports-heading">
    <h2 id="your-reports-heading">Your reports</h2>
    ${
      o.reports.items.length === 0
        ? html`<div class="empty"><p>No reports yet. Export your tasks with the form.</p></div>`
        : html`<div class="table-scroll"><table class="list">
      <thead><tr><th scope="col">Report</th><th scope="col">State</th><th scope="col">Rows</th><th scope="col">Asked</th><th scope="col">File</th></tr></thead>
      <tbody>${o.reports.items.map(reportRow)}</tbody>
    </table></div>
    ${paginationView(o.reports, (page) => `/reports?page=${page}`)}`
    }
  </section>
</div>`;
}
