import { field, html, type SafeHtml } from "@marg/core/web";
import type { Person } from "../../people/repository.js";
import { type SelectOption, selectField } from "../../shared/select-field.js";
import { STATUS_LABELS, TASK_STATUSES } from "../types.js";

type Values = Readonly<Record<string, string | undefined>>;

export function assigneeFilterOptions(people: readonly Person[]): SelectOption[] {
  return [
    { value: "", label: "Anyone" },
    { value: "me", label: "Me" },
    { value: "none", label: "Nobody" },
    ...people.map((person) => ({ value: String(person.id), label: person.name })),
  ];
}

/** The list's filter form: a GET form, so a filtered list is a link people can share. */
export function taskFiltersView(o: {
  values: Values;
  errors: Readonly<Record<string, string>>;
  people: readonly Person[];
}): SafeHtml {
  return html`<form class="filters" method="get" action="/tasks" role="search" aria-label="Filter tasks">
  ${field({ name: "q", label: "Search", type: "search", value: o.values.q, error: o.errors.q })}
  ${selectField({
    name: "status",
    label: "Status",
    value: o.values.status,
    error: o.errors.status,
    options: [
      { value: "", label: "Any" },
      ...TASK_STATUSES.map((s) => ({ value: s, label: STATUS_LABELS[s] })),
    ],
  })}
  ${selectField({
    name: "assignee",
    label: "Assignee",
    value: o.values.assignee,
    error: o.errors.assignee,
    options: assigneeFilterOptions(o.people),
  })}
  ${field({ name: "due_after", label: "Due from", type: "date", value: o.values.due_after, error: o.errors.due_after })}
  ${field({ name: "due_before", label: "Due until", type: "date", value: o.values.due_before, error: o.errors.due_before })}
  ${selectField({
    name: "sort",
    label: "Sort by",
    value: o.values.sort,
    error: o.errors.sort,
    options: [
      { value: "created", label: "Created" },
      { value: "updated", label: "Last change" },
      { value: "due", label: "Due date" },
      { value: "priority", label: "Priority" },
      { value: "title", label: "Title" },
    ],
  })}
  ${selectField({
    name: "order",
    label: "Order",
    value: o.values.order,
    error: o.errors.order,
    options: [
      { value: "", label: "Default" },
      { value: "asc", label: "Ascending" },
      { value: "desc", label: "Descending" },
    ],
  })}
  <div class="actions"><button type="submit">Apply</button><a href="/tasks">Clear</a></div>
</form>`;
}
