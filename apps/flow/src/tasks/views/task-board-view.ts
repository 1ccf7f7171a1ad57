import { csrfField, html, type SafeHtml } from "@marg/core/web";
import type { Person } from "../../people/repository.js";
import { selectField } from "../../shared/select-field.js";
import type { BoardColumn } from "../service.js";
import { STATUS_LABELS, TASK_STATUSES, type Task } from "../types.js";
import { dueView, priorityBadge } from "./task-badges.js";
import { assigneeFilterOptions } from "./task-filters-view.js";

export interface TaskBoardViewModel {
  readonly columns: readonly BoardColumn[];
  readonly people: ReadonlyMap<number, Person>;
  readonly assignable: readonly Person[];
  readonly assignee: string;
  readonly canCreate: boolean;
  readonly canMove: boolean;
  readonly csrf: string;
  readonly today: string;
}

/** One form per card, one button per other column: moving works without JavaScript. */
function moveForm(task: Task, csrf: string): SafeHtml {
  const targets = TASK_STATUSES.filter((status) => status !== task.status);
  return html`<form class="actions" method="post" action="/tasks/${task.id}/status">
    ${csrfField(csrf)}<input type="hidden" name="back" value="board">
    ${targets.map(
      (status) =>
        html`<button class="secondary" type="submit" name="status" value="${status}" aria-label="Move “${task.title}” to ${STATUS_LABELS[status]}">→ ${STATUS_LABELS[status]}</button>`,
    )}
  </form>`;
}

function card(task: Task, o: TaskBoardViewModel): SafeHtml {
  const assignee =
    task.assigneeId === null ? "Nobody" : (o.people.get(task.assigneeId)?.name ?? `User ${task.assigneeId}`);
  return html`<article class="board-card" id="task-${task.id}" aria-label="${task.title}">
  <a href="/tasks/${task.id}"><strong>${task.title}</strong></a>
  <div class="actions">${priorityBadge(task.priority)} ${dueView(task, o.today)}</div>
  <div class="muted">${assignee}</div>
  ${o.canMove ? moveForm(task, o.csrf) : ""}
</article>`;
}

function column(col: BoardColumn, o: TaskBoardViewModel): SafeHtml {
  const more = col.total - col.items.length;
  const headingId = `column-${col.status}`;
  return html`<section class="board-column" aria-labelledby="${headingId}">
  <h2 id="${headingId}">${STATUS_LABELS[col.status]} <span class="badge">${col.total}</span></h2>
  ${
    col.items.length === 0
      ? html`<p class="empty">Nothing here.</p>`
      : html`${col.items.map((task) => card(task, o))}`
  }
  ${more > 0 ? html`<p class="muted"><a href="/tasks?status=${col.status}">${more} more in the list</a></p>` : ""}
</section>`;
}

/** The board: a column per status; each card has a move form. */
export function taskBoardView(o: TaskBoardViewModel): SafeHtml {
  return html`<div class="page-head">
  <h1>Board</h1>
  <div class="actions">
    <a class="button secondary" href="/tasks">List</a>
    ${o.canCreate ? html`<a class="button" href="/tasks/new">New task</a>` : ""}
  </div>
</div>
<form class="filters" method="get" action="/tasks/board" aria-label="Filter the board">
  ${selectField({ name: "assignee", label: "Assignee", value: o.assignee, options: assigneeFilterOptions(o.assignable) })}
  <div class="actions"><button type="submit">Show</button></div>
</form>
<div class="board">${o.columns.map((col) => column(col, o))}</div>`;
}
