import { csrfField, html, type SafeHtml } from "@marg/core/web";
import type { Attachment } from "../../attachments/types.js";
import { attachmentListView } from "../../attachments/views.js";
import type { Person } from "../../people/repository.js";
import { multilineText, timeView } from "../../shared/format.js";
import { STATUS_LABELS, TASK_STATUSES, type Task, type TaskActivity, type TaskComment } from "../types.js";
import { taskActivityView } from "./task-activity-view.js";
import { dueView, priorityBadge, statusBadge } from "./task-badges.js";
import { taskCommentsView } from "./task-comments-view.js";

/** What the signed-in user may do here; buttons they may not use are not shown. */
export interface TaskDetailPermissions {
  readonly update: boolean;
  readonly delete: boolean;
  readonly comment: boolean;
  readonly upload: boolean;
  readonly removeAttachment: boolean;
}

export interface TaskDetailViewModel {
  readonly task: Task;
  readonly people: ReadonlyMap<number, Person>;
  readonly comments: readonly TaskComment[];
  readonly activity: readonly TaskActivity[];
  /** Null when the user may not see documents: the section is left out. */
  readonly attachments: readonly Attachment[] | null;
  readonly can: TaskDetailPermissions;
  readonly csrf: string;
  readonly today: string;
  readonly comment?: { value: string; error: string };
  readonly uploadError?: string;
}

function name(people: ReadonlyMap<number, Person>, id: number | null): string {
  if (id === null) return "Nobody";
  return people.get(id)?.name ?? `User ${id}`;
}

function moveForm(task: Task, csrf: string): SafeHtml {
  return html`<form class="actions" method="post" action="/tasks/${task.id}/status">
  ${csrfField(csrf)}
  ${TASK_STATUSES.filter((s) => s !== task.status).map(
    (status) =>
      html`<button class="secondary" type="submit" name="status" value="${status}">Move to ${STATUS_LABELS[status]}</button>`,
  )}
</form>`;
}

export function taskDetailView(o: TaskDetailViewModel): SafeHtml {
  const { task } = o;
  return html`<div class="page-head">
  <h1>${task.title}</h1>
  <div class="actions">
    <a class="button secondary" href="/tasks">All tasks</a>
    ${o.can.update ? html`<a class="button secondary" href="/tasks/${task.id}/edit">Edit</a>` : ""}
    ${o.can.delete ? html`<a class="button danger" href="/tasks/${task.id}/delete">Delete</a>` : ""}
  </div>
</div>
<div class="flow-stack">
<div class="grid-2">
  <section class="card" aria-labelledby="description-heading">
    <h2 id="description-heading">Description</h2>
    ${task.description.trim() === "" ? html`<p class="muted">No description.</p>` : multilineText(task.description)}
  </section>
  <section class="card" aria-labelledby="details-heading">
    <h2 id="details-heading">Details</h2>
    <dl class="task-meta">
      <dt>Status</dt><dd>${statusBadge(task.status)}</dd>
      <dt>Priority</dt><dd>${priorityBadge(task.priority)}</dd>
      <dt>Due</dt><dd>${dueView(task, o.today)}</dd>
      <dt>Assignee</dt><dd>${name(o.people, task.assigneeId)}</dd>
      <dt>Created by</dt><dd>${name(o.people, task.creatorId)}, ${timeView(task.createdAt)}</dd>
      <dt>Last change</dt><dd>${timeView(task.updatedAt)}</dd>
    </dl>
    ${o.can.update ? moveForm(task, o.csrf) : ""}
  </section>
</div>
${
  o.attachments === null
    ? ""
    : attachmentListView({
        taskId: task.id,
        attachments: o.attachments,
        people: o.people,
        csrf: o.csrf,
        canUpload: o.can.upload,
        canRemove: o.can.removeAttachment,
        error: o.uploadError,
      })
}
<div class="grid-2">
${taskCommentsView({
  taskId: task.id,
  comments: o.comments,
  people: o.people,
  canComment: o.can.comment,
  csrf: o.csrf,
  value: o.comment?.value,
  error: o.comment?.error,
})}
<section class="card" aria-labelledby="history-heading">
  <h2 id="history-heading">History</h2>
  ${taskActivityView(o.activity, o.people)}
</section>
</div>
</div>`;
}
