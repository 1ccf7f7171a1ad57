import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import { parseCheckedPermission, parseRoleName } from "./names.js";
import { type RbacDenial, RbacDeniedError } from "./rbac-denial.js";
import type { UserPermissions } from "./user-permissions.js";

export interface RbacGuardOptions {
  /** Where checks come from: an RbacService (served from its cache). */
  readonly rbac: { permissionsFor(userId: number): Promise<UserPermissions> };
  /** The signed-in user's id, or undefined for a guest (the session capability provides it). */
  readonly getUserId: (request: FastifyRequest) => number | undefined | Promise<number | undefined>;
  /**
   * The signed-in user's permission set for this request. Default: `rbac.permissionsFor(userId)`;
   * an app server passes the set its `marg-permissions` plugin loads once per request, so
   * guards and the layout read one set.
   */
  readonly permissionsOf?: (request: FastifyRequest, userId: number) => Promise<UserPermissions>;
  /**
   * What a denial becomes. Default: throw `RbacDeniedError` (E_AUTH_REQUIRED /
   * E_RBAC_FORBIDDEN) for the app's error handler. The web layer passes its
   * answers (`@marg/core/web`: `rbacDenialResponder`); returning the reply ends the request.
   */
  readonly onDenied?: (request: FastifyRequest, reply: FastifyReply, denial: RbacDenial) => FastifyReply;
}

export interface RbacGuards {
  /** A preHandler that lets through only users who may do `permission`. */
  requirePermission(permission: string): preHandlerAsyncHookHandler;
  /** A preHandler that lets through only users with `role` (super-admins pass too). */
  requireRole(role: string): preHandlerAsyncHookHandler;
}

function throwDenial(_request: FastifyRequest, _reply: FastifyReply, denial: RbacDenial): never {
  throw new RbacDeniedError(denial);
}

/**
 * Route guards over RBAC. Names are validated when the route is declared, so a
 * typo fails at start-up, not on the first request.
 *
 * @example
 * const { requirePermission } = createRbacGuards({ rbac, getUserId: (req) => req.user?.id });
 * app.delete("/links/:id", { preHandler: requirePermission("links.delete") }, deleteLink);
 */
export function createRbacGuards(options: RbacGuardOptions): RbacGuards {
  const deny = options.onDenied ?? throwDenial;
  const permissionsOf =
    options.permissionsOf ??
    ((_request: FastifyRequest, userId: number) => options.rbac.permissionsFor(userId));

  function guard(
    required: RbacDenial["required"],
    allows: (permissions: UserPermissions) => boolean,
    forbidden: string,
  ): preHandlerAsyncHookHandler {
    // Returning the reply tells Fastify the hook answered, so the route handler never runs.
    return async function rbacGuard(request, reply) {
      const userId = await options.getUserId(request);
      if (userId === undefined) {
        const message = "Sign in to continue: this page is only for signed-in users.";
        return deny(request, reply, { status: 401, code: "E_AUTH_REQUIRED", message, required });
      }
      if (allows(await permissionsOf(request, userId))) return undefined;
      return deny(request, reply, { status: 403, code: "E_RBAC_FORBIDDEN", message: forbidden, required });
    };
  }

  return {
    requirePermission(permission) {
      const name = parseCheckedPermission(permission);
      return guard(
        { permission: name },
        (permissions) => permissions.can(name),
        `You need the permission '${name}' to do this; ask an administrator to grant it.`,
      );
    },
    requireRole(role) {
      const name = parseRoleName(role);
      return guard(
        { role: name },
        (permissions) => permissions.hasRole(name),
        `You need the role '${name}' to do this; ask an administrator to assign it.`,
      );
    },
  };
}
