import { html, type SafeHtml } from "@marg/core/web";
import type { Person } from "../../people/repository.js";
import { timeView } from "../../shared/format.js";
import { paginationView } from "../../shared/pagination-view.js";
import { type TaskListQuery, type TaskSort, taskListSearchParams } from "../list-query.js";
import type { Page, Task } from "../types.js";
import { dueView, priorityBadge, statusBadge } from "./task-badges.js";
import { taskFiltersView } from "./task-filters-view.js";

export interface TaskListViewModel {
  /** Null when the filters are invalid: the form shows why, the table is left out. */
  readonly page: Page<Task> | null;
  readonly query: TaskListQuery;
  readonly filtered: boolean;
  readonly values: Readonly<Record<string, string | undefined>>;
  readonly errors: Readonly<Record<string, string>>;
  readonly people: ReadonlyMap<number, Person>;
  readonly assignable: readonly Person[];
  readonly canCreate: boolean;
  readonly today: string;
}

function sortHeader(label: string, sort: TaskSort, query: TaskListQuery): SafeHtml {
  const active = query.sort === sort;
  const order = active && query.order === "asc" ? "desc" : "asc";
  const href = `/tasks?${taskListSearchParams(query, { sort, order, page: 1 })}`;
  const ariaSort = active ? (query.order === "asc" ? "ascending" : "descending") : "none";
  const arrow = active ? (query.order === "asc" ? " ↑" : " ↓") : "";
  return html`<th scope="col" aria-sort="${ariaSort}"><a href="${href}">${label}${arrow}</a></th>`;
}

function personName(people: ReadonlyMap<number, Person>, id: number | null): SafeHtml | string {
  if (id === null) return html`<span class="muted">Nobody</span>`;
  return people.get(id)?.name ?? html`<span class="muted">User ${id}</span>`;
}

function emptyState(o: TaskListViewModel): SafeHtml {
  if (o.filtered) {
    return html`<div class="empty"><p>No tasks match these filters.</p><p><a href="/tasks">Clear the filters</a></p></div>`;
  }
  return html`<div class="empty"><p>No tasks yet.</p>${
    o.canCreate ? html`<p><a class="button" href="/tasks/new">Create the first task</a></p>` : ""
  }</div>`;
}

function table(o: TaskListViewModel, page: Page<Task>): SafeHtml {
  const q = o.query;
  return html`<table class="list">
  <caption class="muted">${page.total} ${page.total === 1 ? "task" : "tasks"}</caption>
  <thead><tr>
    ${sortHeader("Title", "title", q)}<th scope="col">Status</th>${sortHeader("Priority", "priority", q)}
    <th scope="col">Assignee</th>${sortHeader("Due", "due", q)}${sortHeader("Last change", "updated", q)}
  </tr></thead>
  <tbody>${page.items.map(
    (task) => html`<tr>
    <td><a href="/tasks/${task.id}">${task.title}</a></td>
    <td>${statusBadge(task.status)}</td>
    <td>${priorityBadge(task.priority)}</td>
    <td>${personName(o.people, task.assigneeId)}</td>
    <td>${dueView(task, o.today)}</td>
    <td>${timeView(task.updatedAt)}</td>
  </tr>`,
  )}</tbody>
</table>
${paginationView(page, (n) => `/tasks?${taskListSearchParams(q, { page: n })}`)}`;
}

/** The task list: filters, a sortable table, pagination, and an empty state that says what to do. */
export function taskListView(o: TaskListViewModel): SafeHtml {
  const body =
    o.page === null
      ? html`<div class="empty" role="alert"><p>Fix the filters above to see tasks.</p></div>`
      : o.page.items.length === 0
        ? emptyState(o)
        : table(o, o.page);
  return html`<div class="page-head">
  <h1>Tasks</h1>
  <div class="actions">
    <a class="button secondary" href="/tasks/board">Board</a>
    ${o.canCreate ? html`<a class="button" href="/tasks/new">New task</a>` : ""}
  </div>
</div>
${taskFiltersView({ values: o.values, errors: o.errors, people: o.assignable })}
${body}`;
}
