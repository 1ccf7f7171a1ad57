import type { FastifyPluginCallback } from "fastify";
import fastifyPlugin from "fastify-plugin";
import type { RbacGuards } from "../../rbac/rbac-guards.js";
import type { RbacService } from "../../rbac/rbac-service.js";
import { createRequestGuards, registerRequestPermissions } from "../request-permissions.js";
import { PLUGIN } from "./plugin-names.js";

declare module "fastify" {
  interface FastifyInstance {
    /** Route guards over this request's permission set (`requirePermission`, `requireRole`). */
    rbacGuards: RbacGuards;
  }
}

/**
 * The signed-in user's permission set, loaded at most once per request (on first
 * use) and read by everyone who asks: `request.can()`, `request.permissions()`,
 * the route guards (`app.rbacGuards`) and the layout's switcher and navigation.
 * Denials are thrown as RbacDeniedError and rendered by the error handler; browser
 * guests are sent to sign in.
 */
const permissions: FastifyPluginCallback<{ readonly rbac: RbacService }> = (app, { rbac }, done) => {
  registerRequestPermissions(app, rbac);
  app.decorate("rbacGuards", createRequestGuards(rbac));
  done();
};

export const permissionsPlugin = fastifyPlugin(permissions, {
  name: PLUGIN.permissions,
  fastify: "5.x",
  dependencies: [PLUGIN.currentUser],
  decorators: { request: ["user"] },
});
