import type { FastifyInstance } from "fastify";
import type { MargAppDefinition } from "../app/app-definition.js";
import type { HealthCheck } from "../health/types.js";
import { createHttpApp } from "../http/create-http-app.js";
import type { Platform } from "../platform/types.js";
import { createRbacGuards } from "../rbac/rbac-guards.js";
import { sessionPlugin } from "../session/session-plugin.js";
import { registerApiDocs } from "./api-docs.js";
import { layoutApps } from "./app-links.js";
import { type AuthRouteContext, registerAuthRoutes } from "./auth/index.js";
import { csrfGuard } from "./csrf-guard.js";
import { loadCurrentUser } from "./current-user.js";
import { createLayoutErrorPage } from "./error-page-in-layout.js";
import { registerHealthRoutes } from "./health-routes.js";
import { createPageRenderer } from "./page-renderer.js";
import { registerRequestPermissions } from "./request-permissions.js";
import { registerStaticRoutes } from "./static-routes.js";

export interface AppServerOptions {
  /** Titles of every app in MARG_APPS, for the app switcher. */
  readonly titles: Readonly<Record<string, string>>;
  /** Sends the password-reset mail; default: the platform's mailer, directly. */
  readonly sendResetMail?: AuthRouteContext["sendResetMail"];
  readonly onRegistered?: AuthRouteContext["onRegistered"];
  readonly healthChecks?: readonly HealthCheck[];
  /** Extra platform routes (queue dashboard, maintenance bypass…), registered before the app's. */
  readonly plugins?: readonly ((app: FastifyInstance, platform: Platform) => void | Promise<void>)[];
}

/**
 * One app of the ecosystem as a Fastify instance (not yet listening): MARG's HTTP
 * defaults, the shared session and the signed-in user, CSRF on every
 * state-changing request, account pages, /health, assets, then the app's routes.
 */
export async function createAppServer(
  definition: MargAppDefinition,
  platform: Platform,
  options: AppServerOptions,
): Promise<FastifyInstance> {
  const { config } = platform;
  const apps = layoutApps(config, options.titles);
  const app = createHttpApp(config, {
    logger: platform.logger,
    renderErrorPage: createLayoutErrorPage({ appId: definition.id, appTitle: definition.title, apps }),
  });
  await app.register(sessionPlugin, { config, store: platform.sessions, logger: platform.logger });
  app.decorateRequest("user", null);
  app.addHook("preHandler", async (request) => {
    // No cookie, no session: static files, /health and first visits never touch the store.
    request.user = request.headers.cookie === undefined ? null : await loadCurrentUser(request);
  });
  app.addHook("preHandler", csrfGuard);
  registerRequestPermissions(app, platform.rbac);
  const guards = createRbacGuards({
    rbac: platform.rbac,
    getUserId: (request) => request.user?.id,
    respond: "throw",
  });

  await registerApiDocs(app, { title: definition.title, url: config.app.url });
  const pages = createPageRenderer({ config, appTitle: definition.title, apps, nav: definition.nav ?? [] });
  registerStaticRoutes(app, config.storage.path);
  registerHealthRoutes(app, platform, options.healthChecks);
  registerAuthRoutes(app, {
    platform,
    pages,
    sendResetMail:
      options.sendResetMail ??
      (async (to, link) => {
        await platform.mailer.send({
          id: `reset-${Date.now()}-${Math.random().toString(36).slice(2, 10)}`,
          to,
          subject: "Reset your MARG password",
          text: `Someone asked to reset the password of your MARG account.\n\nChoose a new password here (the link works once, for 60 minutes):\n${link}\n\nIf it was not you, ignore this mail: your password stays as it is.\n`,
        });
      }),
    // Self-registered accounts start as members (if the role exists): they can use the apps, not run them.
    onRegistered:
      options.onRegistered ??
      (async (userId) => {
        const roles = await platform.rbac.listRoles();
        if (roles.some((role) => role.name === "member")) await platform.rbac.assign(userId, "member");
      }),
  });
  for (const plugin of options.plugins ?? []) await plugin(app, platform);
  await definition.routes?.(app, { platform, pages, guards });
  if (!app.hasRoute({ method: "GET", url: "/" })) {
    app.get("/", async (request, reply) =>
      request.user === null ? reply.redirect("/login", 303) : reply.redirect("/account", 303),
    );
  }
  return app;
}
