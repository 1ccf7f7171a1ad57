import { parseJson, requireAuth } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import {
  errorResponses,
  idParams,
  sessionSecurity,
  writeSecurity,
  zodValidated,
} from "../../shared/api-schemas.js";
import { PERMISSIONS } from "../../shared/permissions.js";
import { actorOf, queryFields, taskIdParam } from "../../shared/request-input.js";
import type { FlowRouteContext } from "../../shared/route-context.js";
import { taskListQuerySchema, toTaskListQuery } from "../list-query.js";
import { commentInputSchema, taskInputSchema, taskPatchSchema } from "../schema.js";
import {
  activityJson,
  attachmentJson,
  commentInputJson,
  commentJson,
  many,
  one,
  page,
  taskInputJson,
  taskJson,
  taskListQueryJson,
  taskPatchJson,
} from "./task-api-schemas.js";
import { presentActivity, presentAttachment, presentComment, presentTask } from "./task-presenter.js";

const tags = ["tasks"];

/**
 * /api/v1/tasks: the same services, rules and RBAC as the pages. Validation
 * is the zod schema the forms use; errors are `{ error: { code, message, fields } }`.
 */
export function registerTaskApiRoutes(app: FastifyInstance, ctx: FlowRouteContext): void {
  const { services, guards } = ctx;
  const guard = (permission: string) => [requireAuth, guards.requirePermission(permission)];

  app.get(
    "/api/v1/tasks",
    {
      ...zodValidated,
      preHandler: guard(PERMISSIONS.viewTasks),
      schema: {
        tags,
        summary: "List the tasks you may see, filtered, sorted and paginated",
        security: sessionSecurity,
        querystring: taskListQueryJson,
        response: { 200: page(taskJson), ...errorResponses },
      },
    },
    async (request) => {
      const query = toTaskListQuery(parseJson(taskListQuerySchema, queryFields(request)));
      const result = await services.tasks.list(await actorOf(request), query);
      return {
        data: result.items.map(presentTask),
        meta: { total: result.total, page: result.page, perPage: result.perPage, pages: result.pages },
      };
    },
  );

  app.post(
    "/api/v1/tasks",
    {
      ...zodValidated,
      preHandler: guard(PERMISSIONS.createTasks),
      schema: {
        tags,
        summary: "Create a task",
        security: writeSecurity,
        body: taskInputJson,
        response: { 201: one(taskJson), ...errorResponses },
      },
    },
    async (request, reply) => {
      const input = parseJson(taskInputSchema, request.body);
      const task = await services.tasks.create(await actorOf(request), input);
      return reply
        .code(201)
        .header("location", `/api/v1/tasks/${task.id}`)
        .send({ data: presentTask(task) });
    },
  );

  app.get(
    "/api/v1/tasks/:id",
    {
      ...zodValidated,
      preHandler: guard(PERMISSIONS.viewTasks),
      schema: {
        tags,
        summary: "One task",
        security: sessionSecurity,
        params: idParams,
        response: { 200: one(taskJson), ...errorResponses },
      },
    },
    async (request) => ({
      data: presentTask(await services.tasks.get(await actorOf(request), taskIdParam(request.params))),
    }),
  );

  app.patch(
    "/api/v1/tasks/:id",
    {
      ...zodValidated,
      preHandler: guard(PERMISSIONS.updateTasks),
      schema: {
        tags,
        summary: 'Change some fields of a task (moving it is `{ "status": "doing" }`)',
        security: writeSecurity,
        params: idParams,
        body: taskPatchJson,
        response: { 200: one(taskJson), ...errorResponses },
      },
    },
    async (request) => {
      const id = taskIdParam(request.params);
      const patch = parseJson(taskPatchSchema, request.body);
      return { data: presentTask(await services.tasks.update(await actorOf(request), id, patch)) };
    },
  );

  app.delete(
    "/api/v1/tasks/:id",
    {
      ...zodValidated,
      preHandler: guard(PERMISSIONS.deleteTasks),
      schema: {
        tags,
        summary: "Delete a task with its comments, history and attachments",
        security: writeSecurity,
        params: idParams,
        response: { 204: { type: "null", description: "Deleted." }, ...errorResponses },
      },
    },
    async (request, reply) => {
      const task = await services.tasks.delete(await actorOf(request), taskIdParam(request.params));
      await services.attachments.removeFilesOf(task.id);
      return reply.code(204).send();
    },
  );

  app.get(
    "/api/v1/tasks/:id/comments",
    {
      ...zodValidated,
      preHandler: guard(PERMISSIONS.viewTasks),
      schema: {
        tags,
        summary: "A task's comments, oldest first",
        security: sessionSecurity,
        params: idParams,
        response: { 200: many(commentJson), ...errorResponses },
      },
    },
    async (request) => ({
      data: (await services.tasks.comments(await actorOf(request), taskIdParam(request.params))).map(
        presentComment,
      ),
    }),
  );

  app.post(
    "/api/v1/tasks/:id/comments",
    {
      ...zodValidated,
      preHandler: guard(PERMISSIONS.updateTasks),
      schema: {
        tags,
        summary: "Comment on a task",
        security: writeSecurity,
        params: idParams,
        body: commentInputJson,
        response: { 201: one(commentJson), ...errorResponses },
      },
    },
    async (request, reply) => {
      const id = taskIdParam(request.params);
      const { body } = parseJson(commentInputSchema, request.body);
      const comment = await services.tasks.addComment(await actorOf(request), id, body);
      return reply.code(201).send({ data: presentComment(comment) });
    },
  );

  app.get(
    "/api/v1/tasks/:id/activity",
    {
      ...zodValidated,
      preHandler: guard(PERMISSIONS.viewTasks),
      schema: {
        tags,
        summary: "A task's history, newest first",
        security: sessionSecurity,
        params: idParams,
        response: { 200: many(activityJson), ...errorResponses },
      },
    },
    async (request) => ({
      data: (await services.tasks.activity(await actorOf(request), taskIdParam(request.params))).map(
        presentActivity,
      ),
    }),
  );

  app.get(
    "/api/v1/tasks/:id/attachments",
    {
      ...zodValidated,
      preHandler: guard(PERMISSIONS.viewDocuments),
      schema: {
        tags,
        summary: "A task's attachments (download them from `downloadUrl` with the same session)",
        security: sessionSecurity,
        params: idParams,
        response: { 200: many(attachmentJson), ...errorResponses },
      },
    },
    async (request) => ({
      data: (await services.attachments.list(await actorOf(request), taskIdParam(request.params))).map(
        presentAttachment,
      ),
    }),
  );
}
