import { z } from "zod";
import { TASK_PRIORITIES, TASK_STATUSES } from "./types.js";

/** A calendar date as `YYYY-MM-DD` that exists (no 2026-02-30). */
export const isoDate = z
  .string({ error: "Use a date like 2026-12-31." })
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Use a date like 2026-12-31.")
  .refine((value) => {
    const date = new Date(`${value}T00:00:00Z`);
    return !Number.isNaN(date.getTime()) && date.toISOString().startsWith(value);
  }, "That day does not exist.");

const fields = {
  title: z
    .string({ error: "Give the task a title." })
    .trim()
    .min(1, "Give the task a title.")
    .max(200, "Keep the title to 200 characters."),
  description: z
    .string({ error: "The description must be text." })
    .max(10_000, "Keep the description to 10,000 characters."),
  status: z.enum(TASK_STATUSES, { error: "Choose To do, Doing or Done." }),
  priority: z.enum(TASK_PRIORITIES, { error: "Choose Low, Normal, High or Urgent." }),
  dueOn: isoDate.nullable(),
  assigneeId: z
    .number({ error: "Choose someone from the list, or nobody." })
    .int("Choose someone from the list, or nobody.")
    .positive("Choose someone from the list, or nobody.")
    .nullable(),
};

/**
 * A new task, or a whole task as the edit form sends it. The one schema for the
 * HTML forms and the JSON API: forms are turned into this shape first
 * (`taskFormToInput`), so both get the same rules and the same messages.
 */
export const taskInputSchema = z.strictObject({
  title: fields.title,
  description: fields.description.default(""),
  status: fields.status.default("todo"),
  priority: fields.priority.default("normal"),
  dueOn: fields.dueOn.default(null),
  assigneeId: fields.assigneeId.default(null),
});
export type TaskInput = z.output<typeof taskInputSchema>;

/** A partial change (PATCH): any of the fields, at least one. */
export const taskPatchSchema = z
  .strictObject({
    title: fields.title.optional(),
    description: fields.description.optional(),
    status: fields.status.optional(),
    priority: fields.priority.optional(),
    dueOn: fields.dueOn.optional(),
    assigneeId: fields.assigneeId.optional(),
  })
  .refine((patch) => Object.values(patch).some((value) => value !== undefined), {
    message: "Send at least one field to change.",
  });
export type TaskPatch = z.output<typeof taskPatchSchema>;

export const statusChangeSchema = z.strictObject({ status: fields.status });

export const commentInputSchema = z.strictObject({
  body: z
    .string({ error: "Write a comment first." })
    .trim()
    .min(1, "Write a comment first.")
    .max(5_000, "Keep comments to 5,000 characters."),
});

/**
 * An HTML form's fields in the API's shape: empty due date and assignee mean
 * none, a numeric assignee becomes a number (anything else stays a string, so
 * the schema reports it). Unknown fields (`_csrf`) are dropped.
 */
export function taskFormToInput(form: Readonly<Record<string, string>>): Record<string, unknown> {
  const assignee = form.assigneeId?.trim() ?? "";
  const due = form.dueOn?.trim() ?? "";
  return {
    title: form.title ?? "",
    description: form.description ?? "",
    status: form.status ?? "todo",
    priority: form.priority ?? "normal",
    dueOn: due === "" ? null : due,
    assigneeId: assignee === "" ? null : /^\d{1,15}$/.test(assignee) ? Number(assignee) : assignee,
  };
}
