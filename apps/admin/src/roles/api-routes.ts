import { apiErrorResponses } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import { actorOf } from "../audit/actor.js";
import type { AdminRouteContext } from "../services.js";
import { stringList } from "../shared/api-schemas.js";
import { idParam } from "../shared/route-params.js";

const permissionParam = { type: "string", minLength: 1, maxLength: 100 } as const;

const rolePermissionParams = {
  type: "object",
  properties: { name: { type: "string", maxLength: 64 }, permission: permissionParam },
  required: ["name", "permission"],
} as const;

const userPermissionParams = {
  type: "object",
  properties: { id: { type: "string", pattern: "^[0-9]{1,15}$" }, permission: permissionParam },
  required: ["id", "permission"],
} as const;

const changed = (list: string) =>
  ({ type: "object", properties: { changed: { type: "boolean" }, [list]: stringList } }) as const;

/**
 * `/api/v1` grants: a role's permissions and a user's direct permissions, the
 * forms of the roles and user pages as JSON. Same guard (roles.manage), same
 * service, so the same access-change policy and audit (403/409 when refused).
 * A permission may be a wildcard: `PUT /api/v1/roles/member/permissions/links.*`.
 */
export function registerRoleApiRoutes(app: FastifyInstance, ctx: AdminRouteContext): void {
  const { platform, guards, services } = ctx;
  const manageRoles = guards.requirePermission("roles.manage");
  const refusals = apiErrorResponses(404, 409, 422);

  for (const [method, verb] of [
    ["PUT", "grant"],
    ["DELETE", "revoke"],
  ] as const) {
    app.route({
      method,
      url: "/api/v1/roles/:name/permissions/:permission",
      preHandler: manageRoles,
      schema: {
        tags: ["roles"],
        summary:
          verb === "grant"
            ? "Grant a role a permission you hold yourself (idempotent)"
            : "Revoke a permission you hold yourself from a role",
        params: rolePermissionParams,
        response: { 200: changed("permissions"), ...refusals },
      },
      handler: async (request) => {
        const { name, permission } = request.params as { name: string; permission: string };
        return services.rbacAdmin[verb](actorOf(request), name, permission);
      },
    });
  }

  for (const [method, verb] of [
    ["PUT", "grantToUser"],
    ["DELETE", "revokeFromUser"],
  ] as const) {
    app.route({
      method,
      url: "/api/v1/users/:id/permissions/:permission",
      preHandler: manageRoles,
      schema: {
        tags: ["users"],
        summary:
          verb === "grantToUser"
            ? "Grant a user a permission directly, outside any role (one you hold yourself)"
            : "Revoke a user's direct permission (one you hold yourself)",
        params: userPermissionParams,
        response: { 200: changed("permissions"), ...refusals },
      },
      handler: async (request) => {
        const { permission } = request.params as { permission: string };
        return services.rbacAdmin[verb](actorOf(request), idParam(request.params), permission);
      },
    });
  }

  app.get(
    "/api/v1/roles",
    {
      preHandler: guards.requirePermission("roles.manage"),
      schema: {
        tags: ["roles"],
        summary: "Every role with its permissions and number of users",
        response: {
          200: {
            type: "object",
            properties: {
              items: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    name: { type: "string" },
                    description: { type: ["string", "null"] },
                    permissions: stringList,
                    userCount: { type: "integer" },
                  },
                },
              },
            },
          },
          ...apiErrorResponses(),
        },
      },
    },
    async () => ({ items: await platform.rbac.listRoles() }),
  );
}
