import path from "node:path";
import { defineApp } from "@marg/core/app";
import { ADMIN_PERMISSIONS, requireAdminAccess } from "./access/guard.js";
import { registerAuditRoutes } from "./audit/routes.js";
import { registerDashboardRoutes } from "./dashboard/routes.js";
import { registerFeedbackRoutes } from "./feedback/routes.js";
import { registerHealthOverviewRoutes } from "./health/routes.js";
import { registerOidcClientRoutes } from "./oidc-clients/routes.js";
import { registerPermissionRoutes } from "./permissions/routes.js";
import { registerQueueRoutes } from "./queues/routes.js";
import { registerRoleApiRoutes } from "./roles/api-routes.js";
import { registerRoleRoutes } from "./roles/routes.js";
import { type AdminAppOptions, createAdminServices } from "./services.js";
import { registerUserActionRoutes } from "./users/action-routes.js";
import { registerUsersApiRoutes } from "./users/api-routes.js";
import { registerUserInviteRoutes } from "./users/invite-routes.js";
import { registerUserRoutes } from "./users/routes.js";

/**
 * admin.marg, the control room: users, roles and permissions, queues, feedback,
 * health, the audit log and the sign-in (OIDC) clients. Every route sits behind `requireAdminAccess` (some
 * admin permission) and then its own permission. `options` are for tests and
 * unusual installations; the app everyone runs is `app` in index.ts.
 */
export function createAdminApp(options: AdminAppOptions = {}) {
  return defineApp({
    id: "admin",
    title: "Admin",
    database: "marg-rbac",
    // Its own few rules, linked in every page's <head> after marg.css.
    stylesheet: path.resolve(import.meta.dirname, "../assets/admin.css"),
    // Its audit log is core's (core:audit), written by every app; admin has no tables of its own.
    migrations: [],
    // What requireAdminAccess lets in: other apps' switchers show Admin only to those.
    access: ADMIN_PERMISSIONS,
    // Each link names its page's own guard; the Overview needs only admin access.
    nav: [
      { href: "/", label: "Overview" },
      { href: "/users", label: "Users", permission: "users.view" },
      { href: "/roles", label: "Roles", permission: "roles.manage" },
      { href: "/queues", label: "Queues", permission: "queues.view" },
      { href: "/health-overview", label: "Health", permission: "health.view" },
      { href: "/feedback", label: "Feedback", permission: "feedback.view" },
      { href: "/audit", label: "Audit log", permission: "audit.view" },
      { href: "/oidc-clients", label: "Sign-in clients", permission: "oidc-clients.manage" },
    ],
    async routes(app, appCtx) {
      const ctx = { ...appCtx, services: createAdminServices(appCtx.platform, options) };
      // Encapsulated, so the admin guard covers these routes only, not /login or /health.
      await app.register(async (scope) => {
        scope.addHook("preHandler", requireAdminAccess);
        registerDashboardRoutes(scope, ctx);
        registerUserInviteRoutes(scope, ctx);
        registerUserRoutes(scope, ctx);
        registerUserActionRoutes(scope, ctx);
        registerUsersApiRoutes(scope, ctx);
        registerRoleRoutes(scope, ctx);
        registerPermissionRoutes(scope, ctx);
        registerQueueRoutes(scope, ctx);
        registerHealthOverviewRoutes(scope, ctx);
        registerFeedbackRoutes(scope, ctx);
        registerAuditRoutes(scope, ctx);
        registerOidcClientRoutes(scope, ctx);
        registerRoleApiRoutes(scope, ctx);
      });
    },
  });
}
