import type { FastifyInstance, FastifyRequest } from "fastify";
import { createRbacGuards, type RbacGuards } from "../rbac/rbac-guards.js";
import type { RbacService } from "../rbac/rbac-service.js";
import { TokenPermissions } from "../rbac/token-permissions.js";
import type { UserPermissions } from "../rbac/user-permissions.js";
import type {} from "./api-token-request.js";
import { rbacDenialResponder } from "./rbac-denial-response.js";

declare module "fastify" {
  interface FastifyRequest {
    /**
     * Whether the signed-in user may do `permission` (false for guests). Views use
     * it to hide what the user cannot do; served from the RBAC cache.
     */
    can(permission: string): Promise<boolean>;
    /**
     * The signed-in user's permission set (null for guests), the one `can` answers
     * from: for many synchronous checks, or `canIn(app, …)` for another app.
     */
    permissions(): Promise<UserPermissions | null>;
  }
}

/**
 * Adds `request.can(permission)` and `request.permissions()`, resolving the
 * user's permission set at most once per request.
 */
export function registerRequestPermissions(app: FastifyInstance, rbac: RbacService): void {
  const sets = new WeakMap<FastifyRequest, Promise<UserPermissions>>();
  const permissionsOf = (request: FastifyRequest): Promise<UserPermissions> | null => {
    const user = request.user;
    if (user === null) return null;
    let set = sets.get(request);
    if (set === undefined) {
      const token = request.apiToken;
      // A bearer request may do what its holder AND its token allow (marg-bearer-token).
      set =
        token == null
          ? rbac.permissionsFor(user.id)
          : rbac.permissionsFor(user.id).then((held) => new TokenPermissions(held, token.permissions));
      sets.set(request, set);
    }
    return set;
  };
  app.decorateRequest("can", async function can(this: FastifyRequest, permission: string): Promise<boolean> {
    const set = permissionsOf(this);
    return set === null ? false : (await set).can(permission);
  });
  app.decorateRequest("permissions", function permissions(this: FastifyRequest) {
    return permissionsOf(this) ?? Promise.resolve(null);
  });
}

/**
 * Route guards that read the request's own permission set (`request.permissions()`),
 * so a guarded page and its layout look the user up once. Browser guests are sent
 * to sign in; other denials are thrown for the error handler to render.
 */
export function createRequestGuards(rbac: RbacService): RbacGuards {
  return createRbacGuards({
    rbac,
    getUserId: (request) => request.user?.id,
    permissionsOf: async (request, userId) => (await request.permissions()) ?? rbac.permissionsFor(userId),
    onDenied: rbacDenialResponder("throw"),
  });
}
