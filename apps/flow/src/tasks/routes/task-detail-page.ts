import type { FastifyReply, FastifyRequest } from "fastify";
import { todayIso } from "../../shared/format.js";
import { PERMISSIONS } from "../../shared/permissions.js";
import { actorOf } from "../../shared/request-input.js";
import type { FlowRouteContext } from "../../shared/route-context.js";
import { taskDetailView } from "../views/task-detail-view.js";

/** What a re-rendered detail page shows besides the task: a comment or upload that did not go through. */
export interface TaskDetailExtras {
  readonly comment?: { value: string; error: string };
  readonly uploadError?: string;
  readonly status?: number;
}

/** Renders the task page (shared by GET and by forms on it that come back with an error). */
export async function renderTaskDetail(
  ctx: FlowRouteContext,
  request: FastifyRequest,
  reply: FastifyReply,
  taskId: number,
  extras: TaskDetailExtras = {},
): Promise<FastifyReply> {
  const { services } = ctx;
  const actor = await actorOf(request);
  const task = await services.tasks.get(actor, taskId);
  const [canUpdate, canDelete, canSeeFiles, canUpload, canRemove] = await Promise.all([
    request.can(PERMISSIONS.updateTasks),
    request.can(PERMISSIONS.deleteTasks),
    request.can(PERMISSIONS.viewDocuments),
    request.can(PERMISSIONS.uploadDocuments),
    request.can(PERMISSIONS.deleteDocuments),
  ]);
  const [comments, activity, attachments] = await Promise.all([
    services.tasks.comments(actor, task.id),
    services.tasks.activity(actor, task.id),
    canSeeFiles ? services.attachments.list(actor, task.id) : Promise.resolve(null),
  ]);
  const people = await services.people.byIds([
    task.creatorId,
    ...(task.assigneeId === null ? [] : [task.assigneeId]),
    ...comments.map((comment) => comment.userId),
    ...activity.flatMap((entry) => {
      const change = entry.details.assigneeId;
      const ids = Array.isArray(change) ? change.filter((v): v is number => typeof v === "number") : [];
      return [entry.userId, ...ids];
    }),
    ...(attachments ?? []).map((attachment) => attachment.userId),
  ]);
  return ctx.pages.page(request, reply, {
    title: task.title,
    current: "/tasks",
    status: extras.status ?? 200,
    body: taskDetailView({
      task,
      people,
      comments,
      activity,
      attachments,
      can: {
        update: canUpdate,
        delete: canDelete,
        comment: canUpdate,
        upload: canSeeFiles && canUpload,
        removeAttachment: canSeeFiles && canRemove,
      },
      csrf: await request.session.csrfToken(),
      today: todayIso(),
      ...(extras.comment ? { comment: extras.comment } : {}),
      ...(extras.uploadError ? { uploadError: extras.uploadError } : {}),
    }),
  });
}
