import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from "fastify";
import { MargError } from "../errors/marg-error.js";
import { wantsJson } from "../web/error-response.js";
import { parseCheckedPermission, parseRoleName } from "./names.js";
import { loginRedirectUrl, type RbacDenial, sendDenial } from "./rbac-denial-response.js";
import type { UserPermissions } from "./user-permissions.js";

export interface RbacGuardOptions {
  /** Where checks come from: an RbacService (served from its cache). */
  readonly rbac: { permissionsFor(userId: number): Promise<UserPermissions> };
  /** The signed-in user's id, or undefined for a guest (the session capability provides it). */
  readonly getUserId: (request: FastifyRequest) => number | undefined | Promise<number | undefined>;
  /**
   * The signed-in user's permission set for this request. Default: `rbac.permissionsFor(userId)`;
   * an app server passes the set the request already resolved for its views, so a guarded
   * page looks the user up once.
   */
  readonly permissionsOf?: (request: FastifyRequest, userId: number) => Promise<UserPermissions>;
  /** The sign-in page guests are sent to, with `?next=`. Default `/login`. */
  readonly loginPath?: string;
  /**
   * `render` (default): the guard answers 401/403 itself, as HTML or JSON by Accept.
   * `throw`: it throws MargError E_AUTH_REQUIRED / E_RBAC_FORBIDDEN for the app's
   * error handler to render (browsers without a session are still redirected to sign in).
   */
  readonly respond?: "render" | "throw";
}

export interface RbacGuards {
  /** A preHandler that lets through only users who may do `permission`. */
  requirePermission(permission: string): preHandlerAsyncHookHandler;
  /** A preHandler that lets through only users with `role` (super-admins pass too). */
  requireRole(role: string): preHandlerAsyncHookHandler;
}

/**
 * Route guards over RBAC. Names are validated when the route is declared, so a
 * typo fails at start-up, not on the first request.
 *
 * @example
 * const { requirePermission } = createRbacGuards({ rbac, getUserId: (req) => req.session.userId });
 * app.delete("/links/:id", { preHandler: requirePermission("links.delete") }, deleteLink);
 */
export function createRbacGuards(options: RbacGuardOptions): RbacGuards {
  const loginPath = options.loginPath ?? "/login";
  const respond = options.respond ?? "render";
  const permissionsOf =
    options.permissionsOf ??
    ((_request: FastifyRequest, userId: number) => options.rbac.permissionsFor(userId));

  // Returning the reply tells Fastify the hook answered, so the route handler never runs.
  function deny(request: FastifyRequest, reply: FastifyReply, denial: RbacDenial): FastifyReply {
    if (respond === "throw" && (denial.status === 403 || wantsJson(request))) {
      throw new MargError(denial.code, denial.message, {
        status: denial.status,
        details: { ...denial.required },
      });
    }
    if (respond === "throw") {
      const status = request.method === "GET" || request.method === "HEAD" ? 302 : 303;
      return reply.code(status).redirect(loginRedirectUrl(request, loginPath));
    }
    return sendDenial(request, reply, denial, loginPath);
  }

  function guard(
    required: RbacDenial["required"],
    allows: (permissions: UserPermissions) => boolean,
    forbidden: string,
  ): preHandlerAsyncHookHandler {
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
