import { csrfField, field, html, type SafeHtml } from "@marg/core/web";
import type { Person } from "../../people/repository.js";
import { selectField } from "../../shared/select-field.js";
import { PRIORITY_LABELS, STATUS_LABELS, TASK_PRIORITIES, TASK_STATUSES, type Task } from "../types.js";

type Values = Readonly<Record<string, string | undefined>>;

/** A task's fields as the form shows them (strings, like the browser sends them back). */
export function taskFormValues(task: Task): Record<string, string> {
  return {
    title: task.title,
    description: task.description,
    status: task.status,
    priority: task.priority,
    dueOn: task.dueOn ?? "",
    assigneeId: task.assigneeId === null ? "" : String(task.assigneeId),
  };
}

/** New and edit share one form; `task` set means editing it. */
export function taskFormView(o: {
  csrf: string;
  task?: Task;
  values: Values;
  errors: Readonly<Record<string, string>>;
  people: readonly Person[];
}): SafeHtml {
  const editing = o.task !== undefined;
  const action = editing ? `/tasks/${o.task?.id}` : "/tasks";
  const cancel = editing ? `/tasks/${o.task?.id}` : "/tasks";
  const general = o.errors._;
  return html`<div class="card">
  <h1>${editing ? "Edit task" : "New task"}</h1>
  ${general ? html`<div class="flash flash-error" role="alert">${general}</div>` : ""}
  ${
    Object.keys(o.errors).length > 0 && !general
      ? html`<div class="flash flash-error" role="alert">Some fields need attention; each says what to fix.</div>`
      : ""
  }
  <form class="stack" method="post" action="${action}" novalidate>
    ${csrfField(o.csrf)}
    ${field({ name: "title", label: "Title", value: o.values.title, error: o.errors.title, required: true, autofocus: !editing })}
    ${field({ name: "description", label: "Description", type: "textarea", value: o.values.description, error: o.errors.description, hint: "Optional. Plain text; line breaks are kept." })}
    <div class="grid-2">
      ${selectField({
        name: "status",
        label: "Status",
        value: o.values.status ?? "todo",
        error: o.errors.status,
        options: TASK_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
      })}
      ${selectField({
        name: "priority",
        label: "Priority",
        value: o.values.priority ?? "normal",
        error: o.errors.priority,
        options: TASK_PRIORITIES.map((p) => ({ value: p, label: PRIORITY_LABELS[p] })),
      })}
      ${field({ name: "dueOn", label: "Due date", type: "date", value: o.values.dueOn, error: o.errors.dueOn, hint: "Optional." })}
      ${selectField({
        name: "assigneeId",
        label: "Assignee",
        value: o.values.assigneeId ?? "",
        error: o.errors.assigneeId,
        options: [
          { value: "", label: "Nobody" },
          ...o.people.map((person) => ({
            value: String(person.id),
            label: `${person.name} (${person.email})`,
          })),
        ],
      })}
    </div>
    <div class="actions"><button type="submit">${editing ? "Save changes" : "Create task"}</button><a href="${cancel}">Cancel</a></div>
  </form>
</div>`;
}
