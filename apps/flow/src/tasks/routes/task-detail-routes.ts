import { flash, parseJson, requireAuth, validateForm } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import { PERMISSIONS } from "../../shared/permissions.js";
import { actorOf, formFields, taskIdParam } from "../../shared/request-input.js";
import type { FlowRouteContext } from "../../shared/route-context.js";
import { commentInputSchema, statusChangeSchema } from "../schema.js";
import { STATUS_LABELS } from "../types.js";
import { taskDeleteView } from "../views/task-delete-view.js";
import { renderTaskDetail } from "./task-detail-page.js";

/** The task page and what its forms post: move, comment, delete (after a confirmation page). */
export function registerTaskDetailRoutes(app: FastifyInstance, ctx: FlowRouteContext): void {
  const { services, pages, guards } = ctx;
  const guard = (permission: string) => [requireAuth, guards.requirePermission(permission)];

  app.get("/tasks/:id", { preHandler: guard(PERMISSIONS.viewTasks) }, async (request, reply) =>
    renderTaskDetail(ctx, request, reply, taskIdParam(request.params)),
  );

  app.post("/tasks/:id/status", { preHandler: guard(PERMISSIONS.updateTasks) }, async (request, reply) => {
    const form = formFields(request.body);
    const { status } = parseJson(statusChangeSchema, { status: form.status });
    const task = await services.tasks.setStatus(await actorOf(request), taskIdParam(request.params), status);
    await flash(request, "success", `Moved “${task.title}” to ${STATUS_LABELS[status]}.`);
    return reply.redirect(form.back === "board" ? `/tasks/board#task-${task.id}` : `/tasks/${task.id}`, 303);
  });

  app.post("/tasks/:id/comments", { preHandler: guard(PERMISSIONS.updateTasks) }, async (request, reply) => {
    const id = taskIdParam(request.params);
    const form = formFields(request.body);
    const parsed = validateForm(commentInputSchema, { body: form.body ?? "" });
    if (!parsed.ok) {
      const error = parsed.fields.body ?? "Write a comment first.";
      return renderTaskDetail(ctx, request, reply, id, {
        comment: { value: form.body ?? "", error },
        status: 422,
      });
    }
    const comment = await services.tasks.addComment(await actorOf(request), id, parsed.data.body);
    await flash(request, "success", "Comment added.");
    return reply.redirect(`/tasks/${id}#comment-${comment.id}`, 303);
  });

  app.get("/tasks/:id/delete", { preHandler: guard(PERMISSIONS.deleteTasks) }, async (request, reply) => {
    const actor = await actorOf(request);
    const task = await services.tasks.get(actor, taskIdParam(request.params));
    const [comments, attachments] = await Promise.all([
      services.tasks.comments(actor, task.id),
      services.attachments.count(task.id),
    ]);
    return pages.page(request, reply, {
      title: `Delete ${task.title}`,
      current: "/tasks",
      body: taskDeleteView({
        csrf: await request.session.csrfToken(),
        task,
        comments: comments.length,
        attachments,
      }),
    });
  });

  app.post("/tasks/:id/delete", { preHandler: guard(PERMISSIONS.deleteTasks) }, async (request, reply) => {
    const task = await services.tasks.delete(await actorOf(request), taskIdParam(request.params));
    await services.attachments.removeFilesOf(task.id);
    await flash(request, "success", `Deleted “${task.title}”.`);
    return reply.redirect("/tasks", 303);
  });
}
