import { MargError } from "@marg/core/errors";
import { requireAuth } from "@marg/core/web";
import type { FastifyReply, FastifyRequest } from "fastify";

/** The permissions that make someone an administrator here; any one opens the app. */
export const ADMIN_PERMISSIONS = [
  "users.view",
  "users.manage",
  "roles.manage",
  "queues.view",
  "queues.manage",
  "health.view",
  "audit.view",
  "feedback.view",
  "oidc-clients.manage",
] as const;

export type AdminPermission = (typeof ADMIN_PERMISSIONS)[number];

/**
 * The app-wide guard, before each route's own: guests go to sign in (JSON: 401),
 * signed-in users without any admin permission get the 403 page. The
 * route's guard then asks for the one permission it needs.
 */
export async function requireAdminAccess(request: FastifyRequest, reply: FastifyReply) {
  if (request.user === null) {
    await requireAuth(request, reply);
    return reply;
  }
  for (const permission of ADMIN_PERMISSIONS) if (await request.can(permission)) return undefined;
  throw new MargError(
    "E_RBAC_FORBIDDEN",
    "The admin app is for administrators. Ask one to give you an admin permission (users.view, queues.view, health.view…).",
    { status: 403, details: { permission: ADMIN_PERMISSIONS.join(" | ") } },
  );
}

/** Which admin permissions the signed-in user has, for hiding what they cannot use. */
export async function adminAbilities(request: FastifyRequest): Promise<ReadonlySet<AdminPermission>> {
  const held = new Set<AdminPermission>();
  for (const permission of ADMIN_PERMISSIONS) if (await request.can(permission)) held.add(permission);
  return held;
}
