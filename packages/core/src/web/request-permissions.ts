import type { FastifyInstance, FastifyRequest } from "fastify";
import type { RbacService } from "../rbac/rbac-service.js";

declare module "fastify" {
  interface FastifyRequest {
    /**
     * Whether the signed-in user may do `permission` (false for guests). Views use
     * it to hide what the user cannot do; served from the RBAC cache.
     */
    can(permission: string): Promise<boolean>;
  }
}

/** Adds `request.can(permission)`, resolving the user's permission set at most once per request. */
export function registerRequestPermissions(app: FastifyInstance, rbac: RbacService): void {
  const sets = new WeakMap<FastifyRequest, ReturnType<RbacService["permissionsFor"]>>();
  app.decorateRequest("can", async function can(this: FastifyRequest, permission: string): Promise<boolean> {
    const user = this.user;
    if (user === null) return false;
    let set = sets.get(this);
    if (set === undefined) {
      set = rbac.permissionsFor(user.id);
      sets.set(this, set);
    }
    return (await set).can(permission);
  });
}
