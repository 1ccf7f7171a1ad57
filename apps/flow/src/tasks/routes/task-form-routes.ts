import { isMargError } from "@marg/core/errors";
import { errorFieldErrors, flash, requireAuth, validateForm } from "@marg/core/web";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { PERMISSIONS } from "../../shared/permissions.js";
import { actorOf, formFields, taskIdParam } from "../../shared/request-input.js";
import type { FlowRouteContext } from "../../shared/route-context.js";
import { taskFormToInput, taskInputSchema } from "../schema.js";
import type { Task } from "../types.js";
import { taskFormValues, taskFormView } from "../views/task-form-view.js";

/** New and edit forms; invalid input comes back with the messages and what was typed. */
export function registerTaskFormRoutes(app: FastifyInstance, ctx: FlowRouteContext): void {
  const { services, pages, guards } = ctx;
  const canCreate = [requireAuth, guards.requirePermission(PERMISSIONS.createTasks)];
  const canUpdate = [requireAuth, guards.requirePermission(PERMISSIONS.updateTasks)];

  const showForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    o: { task?: Task; values: Record<string, string>; errors?: Record<string, string> },
  ) => {
    const errors = o.errors ?? {};
    return pages.page(request, reply, {
      title: o.task ? `Edit ${o.task.title}` : "New task",
      current: "/tasks",
      status: Object.keys(errors).length > 0 ? 422 : 200,
      body: taskFormView({
        csrf: await request.session.csrfToken(),
        ...(o.task ? { task: o.task } : {}),
        values: o.values,
        errors,
        people: await services.people.assignable(),
      }),
    });
  };

  /** Validates the form with the API's schema, then runs `save`; re-renders on any field problem. */
  const submit = async (
    request: FastifyRequest,
    reply: FastifyReply,
    task: Task | undefined,
    save: (input: ReturnType<typeof taskInputSchema.parse>) => Promise<Task>,
  ) => {
    const form = formFields(request.body);
    const parsed = validateForm(taskInputSchema, taskFormToInput(form));
    if (!parsed.ok)
      return showForm(request, reply, {
        ...(task ? { task } : {}),
        values: form,
        errors: parsed.fields,
      });
    try {
      const saved = await save(parsed.data);
      await flash(request, "success", task ? "Changes saved." : "Task created.");
      return reply.redirect(`/tasks/${saved.id}`, 303);
    } catch (error) {
      if (!isMargError(error) || error.code !== "E_VALIDATION") throw error;
      const errors = errorFieldErrors(error) ?? {};
      return showForm(request, reply, { ...(task ? { task } : {}), values: form, errors });
    }
  };

  app.get("/tasks/new", { preHandler: canCreate }, async (request, reply) =>
    showForm(request, reply, { values: { status: "todo", priority: "normal" } }),
  );

  app.post("/tasks", { preHandler: canCreate }, async (request, reply) => {
    const actor = await actorOf(request);
    return submit(request, reply, undefined, (input) => services.tasks.create(actor, input));
  });

  app.get("/tasks/:id/edit", { preHandler: canUpdate }, async (request, reply) => {
    const task = await services.tasks.get(await actorOf(request), taskIdParam(request.params));
    return showForm(request, reply, { task, values: taskFormValues(task) });
  });

  app.post("/tasks/:id", { preHandler: canUpdate }, async (request, reply) => {
    const actor = await actorOf(request);
    const task = await services.tasks.get(actor, taskIdParam(request.params));
    return submit(request, reply, task, (input) => services.tasks.update(actor, task.id, input));
  });
}
