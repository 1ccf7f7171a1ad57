import type { FailedJob, QueueStatusReport } from "@marg/core/queue";
import { html, type SafeHtml } from "@marg/core/web";
import { badge, confirmButton, emptyState, formatTime, pageHead, postButton } from "../shared/ui.js";
import { maskedJson } from "./mask-secrets.js";

function queueTable(status: QueueStatusReport): SafeHtml {
  if (status.queues.length === 0) return emptyState("No jobs", "Nothing is waiting, running or failed.");
  return html`<table class="list">
  <thead><tr><th scope="col">Queue</th><th scope="col">Waiting</th><th scope="col">Delayed</th><th scope="col">Running</th><th scope="col">Failed</th></tr></thead>
  <tbody>${status.queues.map(
    (queue) =>
      html`<tr><td><strong>${queue.queue}</strong></td><td>${queue.waiting}</td><td>${queue.delayed}</td><td>${queue.active}</td><td>${
        queue.failed > 0 ? badge(String(queue.failed), "danger") : "0"
      }</td></tr>`,
  )}</tbody>
</table>`;
}

function workerTable(status: QueueStatusReport): SafeHtml {
  if (status.workers.length === 0) {
    return emptyState(
      "No worker alive",
      html`Jobs wait until one starts: run <code>marg work</code> (or <code>npm start</code>).`,
    );
  }
  return html`<table class="list">
  <thead><tr><th scope="col">Worker</th><th scope="col">Queues</th><th scope="col">State</th><th scope="col">Processed</th><th scope="col">Failed</th><th scope="col">Last seen</th></tr></thead>
  <tbody>${status.workers.map(
    (worker) => html`<tr>
    <td><code>${worker.id}</code><br><span class="muted">${worker.host} · pid ${worker.pid} · since ${formatTime(worker.startedAt)}</span></td>
    <td>${worker.queues.join(", ")}</td>
    <td>${badge(worker.state, worker.state === "running" ? "ok" : "warn")}</td>
    <td>${worker.processed}</td>
    <td>${worker.failed}</td>
    <td>${formatTime(worker.lastSeenAt)}</td>
  </tr>`,
  )}</tbody>
</table>`;
}

function failedJobRow(job: FailedJob, csrf: string, canManage: boolean): SafeHtml {
  return html`<tr>
  <td><strong>${job.name}</strong><br><span class="muted">${job.queue} · <code>${job.id}</code></span></td>
  <td><p class="error-text">${job.error}</p>
    <details><summary>Payload</summary><pre>${maskedJson(job.payload)}</pre></details></td>
  <td>${job.attempts}${job.stalls > 0 ? html`<br><span class="muted">${job.stalls} stalls</span>` : ""}</td>
  <td>${formatTime(job.failedAt)}</td>
  <td>${
    canManage
      ? html`<div class="actions">${postButton({ action: "/queues/failed/retry", csrf, label: "Retry", fields: { id: job.id } })}
      ${postButton({ action: "/queues/failed/forget", csrf, label: "Forget", variant: "secondary", fields: { id: job.id } })}</div>`
      : ""
  }</td>
</tr>`;
}

/** Horizon's job: sizes, throughput, workers, and failed jobs with retry / forget. */
export function queueDashboardView(data: {
  csrf: string;
  status: QueueStatusReport;
  failed: readonly FailedJob[];
  canManage: boolean;
}): SafeHtml {
  const { status } = data;
  const manageAll =
    data.canManage && data.failed.length > 0
      ? html`${postButton({ action: "/queues/failed/retry-all", csrf: data.csrf, label: "Retry all failed" })}
      ${confirmButton({
        action: "/queues/failed/flush",
        csrf: data.csrf,
        label: "Forget all failed…",
        question: "Every failed job is deleted for good; none can be retried afterwards.",
        confirmLabel: "Forget them all",
      })}`
      : "";
  return html`${pageHead("Queues", manageAll)}
<div class="grid-2 stats">
  <div class="card"><span class="muted">Driver</span><p class="stat">${status.driver}</p></div>
  <div class="card"><span class="muted">Jobs in the last minute</span><p class="stat">${status.throughputLastMinute.completed} done · ${status.throughputLastMinute.failed} failed</p></div>
  <div class="card"><span class="muted">Workers alive</span><p class="stat">${status.workers.length}</p></div>
</div>
<h2>Queues</h2>
${queueTable(status)}
<h2>Workers</h2>
${workerTable(status)}
<h2>Recent failures</h2>
${
  data.failed.length === 0
    ? emptyState("No failed jobs", "Jobs that run out of tries are kept here, to retry or forget.")
    : html`<table class="list">
  <thead><tr><th scope="col">Job</th><th scope="col">Error and payload</th><th scope="col">Tries</th><th scope="col">Failed</th><th scope="col"><span class="visually-hidden">Actions</span></th></tr></thead>
  <tbody>${data.failed.map((job) => failedJobRow(job, data.csrf, data.canManage))}</tbody>
</table>
<p class="muted">Values under keys that look secret (password, token, key…) are shown as [masked].</p>`
}`;
}

/** The dashboard when this process has no queue connection, or the queue did not answer. */
export function queueUnavailableView(reason: string): SafeHtml {
  return html`${pageHead("Queues")}${emptyState("The queue cannot be shown", reason)}`;
}
