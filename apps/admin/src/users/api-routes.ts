import { isMargError, MargError } from "@marg/core/errors";
import { apiErrorResponses, errorFieldErrors, parseJson } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import { actorOf } from "../audit/actor.js";
import type { AdminRouteContext } from "../services.js";
import { pageOf, stringList } from "../shared/api-schemas.js";
import { idParam } from "../shared/route-params.js";
import { idParams, userRoleParams, userSchema } from "./api-schemas.js";
import { loadUserDetail } from "./detail-loader.js";
import { createUserSchema, userListQuerySchema } from "./schemas.js";
import { userSnapshot } from "./snapshot.js";

const tags = ["users"];

/** Core errors list field problems as arrays; the API sends one message per field, like forms show. */
function withFieldMessages(error: unknown): unknown {
  if (!isMargError(error)) return error;
  const fields = errorFieldErrors(error);
  return fields === undefined
    ? error
    : new MargError(error.code, error.message, { status: error.status, cause: error, details: { fields } });
}

/** `/api/v1/users`: the users pages as JSON, same guards, same validation, same audit. */
export function registerUsersApiRoutes(app: FastifyInstance, ctx: AdminRouteContext): void {
  const { platform, guards, services } = ctx;
  const view = guards.requirePermission("users.view");
  const manage = guards.requirePermission("users.manage");
  const manageRoles = guards.requirePermission("roles.manage");

  app.get(
    "/api/v1/users",
    {
      preHandler: view,
      schema: {
        tags,
        summary: "List users, newest first",
        querystring: {
          type: "object",
          properties: {
            q: { type: "string", description: "Part of the name or email" },
            status: { type: "string", enum: ["all", "active", "disabled"] },
            page: { type: "integer", minimum: 1 },
            perPage: { type: "integer", minimum: 1, maximum: 100 },
          },
        },
        response: { 200: pageOf(userSchema), ...apiErrorResponses(422) },
      },
    },
    async (request) => {
      const query = parseJson(userListQuerySchema, request.query);
      const page = await platform.users.list({
        search: query.q,
        status: query.status,
        page: query.page,
        perPage: query.perPage,
      });
      return { ...page, items: page.items.map(userSnapshot) };
    },
  );

  app.post(
    "/api/v1/users",
    {
      preHandler: manage,
      schema: {
        tags,
        summary: "Create a user (initial password, or a mailed link to choose one)",
        body: {
          type: "object",
          properties: {
            name: { type: "string" },
            email: { type: "string" },
            password: { type: "string", description: "At least 12 characters; omit to mail a link" },
            sendResetLink: { type: "boolean" },
            role: { type: "string", description: "A first role, e.g. member" },
          },
          required: ["name", "email"],
        },
        response: {
          201: { type: "object", properties: { user: userSchema, resetLinkMailed: { type: "boolean" } } },
          ...apiErrorResponses(404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const input = parseJson(createUserSchema, request.body);
      try {
        const { user, mailed } = await services.users.create(actorOf(request), input);
        return reply.status(201).send({ user: userSnapshot(user), resetLinkMailed: mailed });
      } catch (error) {
        throw withFieldMessages(error);
      }
    },
  );

  app.get(
    "/api/v1/users/:id",
    {
      preHandler: view,
      schema: {
        tags,
        summary: "One user with roles, direct permissions and open sessions",
        params: idParams,
        response: {
          200: {
            type: "object",
            properties: {
              user: userSchema,
              roles: stringList,
              directPermissions: stringList,
              sessions: { type: "integer" },
            },
          },
          ...apiErrorResponses(404),
        },
      },
    },
    async (request) => {
      const detail = await loadUserDetail(
        services,
        platform.users,
        idParam(request.params),
        platform.accounts,
      );
      // The count, as before: the sessions themselves are the user page's (no handles in the API).
      return { ...detail, user: userSnapshot(detail.user), sessions: detail.sessions.length };
    },
  );

  app.post(
    "/api/v1/users/:id/disable",
    {
      preHandler: manage,
      schema: {
        tags,
        summary: "Disable a user and end all their sessions on every app",
        params: idParams,
        response: {
          200: { type: "object", properties: { user: userSchema, sessionsEnded: { type: "integer" } } },
          ...apiErrorResponses(404, 409),
        },
      },
    },
    async (request) => {
      const { user, sessionsEnded } = await services.users.disable(actorOf(request), idParam(request.params));
      return { user: userSnapshot(user), sessionsEnded };
    },
  );

  app.post(
    "/api/v1/users/:id/enable",
    {
      preHandler: manage,
      schema: {
        tags,
        summary: "Enable a disabled user",
        params: idParams,
        response: { 200: { type: "object", properties: { user: userSchema } }, ...apiErrorResponses(404) },
      },
    },
    async (request) => ({
      user: userSnapshot(await services.users.enable(actorOf(request), idParam(request.params))),
    }),
  );

  app.post(
    "/api/v1/users/:id/reset-password",
    {
      preHandler: manage,
      schema: {
        tags,
        summary: "Mail the user a link to choose a new password",
        params: idParams,
        response: {
          202: { type: "object", properties: { sent: { type: "boolean" } } },
          ...apiErrorResponses(404, 409),
        },
      },
    },
    async (request, reply) => {
      await services.users.sendPasswordReset(actorOf(request), idParam(request.params));
      return reply.status(202).send({ sent: true });
    },
  );

  app.get(
    "/api/v1/users/:id/roles",
    {
      preHandler: view,
      schema: {
        tags,
        summary: "The roles of a user",
        params: idParams,
        response: { 200: { type: "object", properties: { roles: stringList } }, ...apiErrorResponses(404) },
      },
    },
    async (request) => {
      const detail = await loadUserDetail(
        services,
        platform.users,
        idParam(request.params),
        platform.accounts,
      );
      return { roles: detail.roles };
    },
  );

  const roleChange = {
    type: "object",
    properties: { changed: { type: "boolean" }, roles: stringList },
  } as const;

  app.put(
    "/api/v1/users/:id/roles/:role",
    {
      preHandler: manageRoles,
      schema: {
        tags,
        summary: "Assign a role whose every permission you hold (idempotent; super-admin: super-admins only)",
        params: userRoleParams,
        response: { 200: roleChange, ...apiErrorResponses(404, 409, 422) },
      },
    },
    async (request) => {
      const { role } = request.params as { role: string };
      return services.rbacAdmin.assignRole(actorOf(request), idParam(request.params), role);
    },
  );

  app.delete(
    "/api/v1/users/:id/roles/:role",
    {
      preHandler: manageRoles,
      schema: {
        tags,
        summary: "Take a role from a user (not from yourself)",
        params: userRoleParams,
        response: { 200: roleChange, ...apiErrorResponses(404, 409, 422) },
      },
    },
    async (request) => {
      const { role } = request.params as { role: string };
      return services.rbacAdmin.unassignRole(actorOf(request), idParam(request.params), role);
    },
  );
}
