import { flash, MULTIPART_CSRF_ROUTE, requireAuth } from "@marg/core/web";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { uploadFieldError } from "../errors.js";
import { PERMISSIONS } from "../shared/permissions.js";
import { actorOf, idParam, taskIdParam } from "../shared/request-input.js";
import type { FlowRouteContext } from "../shared/route-context.js";
import { sendStoredFile } from "../shared/send-file.js";
import { uploadedFile } from "../shared/uploaded-file.js";
import { renderTaskDetail } from "../tasks/routes/task-detail-page.js";
import { attachmentNotFound } from "./service.js";
import { ATTACHMENT_MAX_BYTES } from "./upload-policy.js";

function attachmentIdParam(request: FastifyRequest): number {
  const id = idParam(request.params, "attachmentId");
  if (id === undefined) throw attachmentNotFound();
  return id;
}

/** Upload, download, preview and remove task attachments. */
export function registerAttachmentRoutes(app: FastifyInstance, ctx: FlowRouteContext): void {
  const { services, guards } = ctx;
  const guard = (permission: string) => [requireAuth, guards.requirePermission(permission)];

  app.post(
    "/tasks/:id/attachments",
    { preHandler: guard(PERMISSIONS.uploadDocuments), config: MULTIPART_CSRF_ROUTE },
    async (request, reply) => {
      const taskId = taskIdParam(request.params);
      const actor = await actorOf(request);
      try {
        const file = await uploadedFile(request, ATTACHMENT_MAX_BYTES);
        const attachment = await services.attachments.upload(actor, taskId, file);
        await flash(request, "success", `Attached “${attachment.originalName}”.`);
        return reply.redirect(`/tasks/${taskId}#attachments-heading`, 303);
      } catch (error) {
        const message = uploadFieldError(error);
        if (message === null) throw error;
        const status = (error as { status?: number }).status ?? 422;
        return renderTaskDetail(ctx, request, reply, taskId, { uploadError: message, status });
      }
    },
  );

  app.get(
    "/tasks/:id/attachments/:attachmentId",
    { preHandler: guard(PERMISSIONS.viewDocuments) },
    async (request, reply) => {
      const opened = await services.attachments.open(
        await actorOf(request),
        taskIdParam(request.params),
        attachmentIdParam(request),
      );
      return sendStoredFile(reply, {
        absolutePath: opened.absolutePath,
        contentType: opened.attachment.contentType,
        name: opened.attachment.originalName,
        disposition: "attachment",
        size: opened.attachment.sizeBytes,
      });
    },
  );

  app.get(
    "/tasks/:id/attachments/:attachmentId/preview",
    { preHandler: guard(PERMISSIONS.viewDocuments) },
    async (request, reply) => {
      const opened = await services.attachments.openPreview(
        await actorOf(request),
        taskIdParam(request.params),
        attachmentIdParam(request),
      );
      return sendStoredFile(reply, {
        absolutePath: opened.absolutePath,
        contentType: "image/webp",
        name: `${opened.attachment.originalName}.webp`,
        disposition: "inline",
      });
    },
  );

  app.post(
    "/tasks/:id/attachments/:attachmentId/delete",
    { preHandler: guard(PERMISSIONS.deleteDocuments) },
    async (request, reply) => {
      const taskId = taskIdParam(request.params);
      const removed = await services.attachments.remove(
        await actorOf(request),
        taskId,
        attachmentIdParam(request),
      );
      await flash(request, "success", `Removed “${removed.originalName}”.`);
      return reply.redirect(`/tasks/${taskId}#attachments-heading`, 303);
    },
  );
}
