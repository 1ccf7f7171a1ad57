import { randomBytes } from "node:crypto";
import { hostname } from "node:os";
import type { FastifyInstance } from "fastify";
import type { MargAppDefinition } from "../app/app-definition.js";
import { currentRequestScope } from "../context/index.js";
import { queueBacklogCheck } from "../health/queue-backlog-check.js";
import type { HealthCheck } from "../health/types.js";
import {
  createMaintenanceGate,
  createMaintenancePage,
  createMaintenanceStore,
  installMaintenanceMode,
  type MaintenanceGate,
  type MaintenanceTables,
} from "../maintenance/index.js";
import {
  installHttpMetrics,
  instrumentRedisClient,
  instrumentSessionStore,
  type MargMetrics,
  margMetrics,
  registerMetricsRoute,
} from "../metrics/index.js";
import { mailSendJob } from "../platform/platform-jobs.js";
import type { Platform } from "../platform/types.js";
import { createRbacGuards } from "../rbac/rbac-guards.js";
import { sessionPlugin } from "../session/session-plugin.js";
import { registerApiDocs } from "./api-docs.js";
import { appOrigins, layoutApps, offSiteRedirects } from "./app-links.js";
import { registerAppStylesheet } from "./app-stylesheet.js";
import { type AuthRouteContext, registerAuthRoutes } from "./auth/index.js";
import { createHttpApp } from "./create-http-app.js";
import { csrfGuard } from "./csrf-guard.js";
import { loadCurrentUser } from "./current-user.js";
import { createLayoutErrorPage } from "./error-page-in-layout.js";
import { registerHealthRoutes } from "./health-routes.js";
import { createOriginGuard } from "./origin-guard.js";
import { createPageRenderer } from "./page-renderer.js";
import { installRateLimits } from "./rate-limits/install-rate-limits.js";
import { registerRequestPermissions } from "./request-permissions.js";
import { registerStaticRoutes } from "./static-routes.js";

export interface AppServerOptions {
  /** Titles of every app in MARG_APPS, for the app switcher. */
  readonly titles: Readonly<Record<string, string>>;
  /**
   * Per app of MARG_APPS, the permissions that open it (its definition's `access`):
   * the switcher hides it from signed-in users who hold none. This app's own
   * `access` counts without being listed here.
   */
  readonly access?: Readonly<Record<string, readonly string[]>>;
  /**
   * Per app of MARG_APPS, its definition's `redirectsOffSite` (links' short links):
   * sign-in's `next` never leads there. This app's own counts without being listed.
   */
  readonly redirectsOffSite?: Readonly<Record<string, (pathname: string) => boolean>>;
  /** Sends the password-reset mail; default: the platform's mailer, directly. */
  readonly sendResetMail?: AuthRouteContext["sendResetMail"];
  readonly healthChecks?: readonly HealthCheck[];
  /** Extra platform routes (queue dashboard, maintenance bypass…), registered before the app's. */
  readonly plugins?: readonly ((app: FastifyInstance, platform: Platform) => void | Promise<void>)[];
  /** Where this server counts requests and sessions; default: the process's `margMetrics()`. */
  readonly metrics?: MargMetrics;
  /** Maintenance mode's reader; default: a one-second cache over the shared store. `false` turns it off. */
  readonly maintenance?: MaintenanceGate | false;
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
  const apps = layoutApps(config, options.titles, {
    ...options.access,
    ...(definition.access === undefined ? {} : { [definition.id]: definition.access }),
  });
  const app = createHttpApp(config, {
    logger: platform.logger,
    renderErrorPage: createLayoutErrorPage({ appId: definition.id, appTitle: definition.title, apps }),
  });
  // The running version on every response, so a rolling deploy can be watched (MARG_VERSION, set by deploy).
  const version = process.env.MARG_VERSION ?? "0.1.0";
  // Which process answered (MARG_INSTANCE, else host:pid), so a load balancer's spread can be seen;
  // off in production unless SERVED_BY_HEADER: it tells a visitor the host name and pid.
  const servedBy = process.env.MARG_INSTANCE ?? `${hostname()}:${process.pid}`;
  const identity = {
    "x-marg-version": version,
    ...(config.http.servedByHeader ? { "x-served-by": servedBy } : {}),
  };
  app.addHook("onSend", (_request, reply, payload, done) => {
    reply.headers(identity);
    done(null, payload);
  });
  const metrics = options.metrics ?? margMetrics();
  installHttpMetrics(app, metrics, definition.id);
  if (platform.redis !== undefined) instrumentRedisClient(platform.redis.client, metrics);
  registerMetricsRoute(app, { metrics, access: config.metrics });
  const stopQueueSizes = metrics.addQueueSizeSource(() => platform.queueBackend.counts());
  app.addHook("onClose", async () => void stopQueueSizes());
  if (options.maintenance !== false) {
    // Before the session plugin's hook: a down app answers without touching the session store.
    const gate =
      options.maintenance ??
      createMaintenanceGate(
        await createMaintenanceStore(config, {
          redis: platform.redis?.client,
          rbacDb: platform.databases.connection<MaintenanceTables>("rbac"),
        }),
        { logger: platform.logger },
      );
    installMaintenanceMode(app, {
      gate,
      appId: definition.id,
      cookie: { domain: config.session.domain, secure: config.session.secure },
      renderPage: createMaintenancePage({ appId: definition.id, appTitle: definition.title, apps }),
    });
  }
  // DB_STICKY_WINDOW: after a signed-in request wrote, that user's next requests read from the
  // primary for the window (remembered in the session; registered before the session plugin so
  // it runs before the session is committed), so they see their own write on any process.
  const stickyWindowMs = config.db.connections.app.stickyWindowSeconds * 1000;
  const stickyKey = "db:sticky";
  if (
    stickyWindowMs > 0 &&
    Object.values(config.db.connections).some((c) => c.sticky && c.readHosts.length > 0)
  ) {
    app.addHook("onSend", async (request) => {
      const wrote = [...(currentRequestScope()?.wroteTo ?? [])];
      // No session when maintenance mode answered before the session plugin ran.
      if (wrote.length === 0 || request.headers.cookie === undefined || request.session === undefined) return;
      if ((await request.session.userId()) === null) return;
      await request.session.set(stickyKey, { until: Date.now() + stickyWindowMs, connections: wrote });
    });
    app.addHook("preHandler", async (request) => {
      if (request.headers.cookie === undefined) return;
      const sticky =
        (await request.session.get<{ until: number; connections: string[] }>(stickyKey)) ?? undefined;
      const scope = currentRequestScope();
      if (sticky === undefined || scope === undefined || !(sticky.until > Date.now())) return;
      for (const name of sticky.connections) scope.stickyFrom.add(name);
    });
  }
  const sessions = instrumentSessionStore(platform.sessions, metrics, config.session.driver);
  await app.register(sessionPlugin, { config, store: sessions, logger: platform.logger });
  app.addHook("onRequest", createOriginGuard(appOrigins(config).keys()));
  app.decorateRequest("user", null);
  app.addHook("preHandler", (request, _reply, done) => {
    // No cookie, no session: static files, /health and first visits never touch the store
    // (and, as a callback-style hook, do not even pay for a promise).
    if (request.headers.cookie === undefined) {
      request.user = null;
      done();
      return;
    }
    loadCurrentUser(request).then((user) => {
      request.user = user;
      done();
    }, done);
  });
  app.addHook("preHandler", csrfGuard);
  registerRequestPermissions(app, platform.rbac);
  // Before any route: every door in RATE_LIMIT_RULES gets its limit as the route is added.
  await installRateLimits(app, { throttle: platform.throttle, limits: config.rateLimits });
  const guards = createRbacGuards({
    rbac: platform.rbac,
    getUserId: (request) => request.user?.id,
    // The set request.can() and the layout's nav use: one lookup per request.
    permissionsOf: async (request, userId) =>
      (await request.permissions()) ?? platform.rbac.permissionsFor(userId),
    respond: "throw",
  });

  await registerApiDocs(app, { title: definition.title, url: config.app.url, access: definition.access });
  const stylesheets = registerAppStylesheet(app, definition.id, definition.stylesheet);
  const pages = createPageRenderer({
    config,
    appTitle: definition.title,
    apps,
    nav: definition.nav ?? [],
    stylesheets,
  });
  registerStaticRoutes(app, config.storage.path);
  // The seed's `queue` entry: the waiting jobs of every queue against HEALTH_QUEUE_MAX.
  const backlog = queueBacklogCheck(
    async () => (await platform.queueBackend.counts()).reduce((total, queue) => total + queue.waiting, 0),
    { max: config.health.queueMax, critical: config.health.backlogUnhealthy },
  );
  registerHealthRoutes(app, platform, [backlog, ...(options.healthChecks ?? [])]);
  registerAuthRoutes(app, {
    platform,
    pages,
    redirectsOffSite: offSiteRedirects(config, definition, options.redirectsOffSite),
    sendResetMail:
      options.sendResetMail ??
      (async (to, link) => {
        // Through the queue, so a slow or failing mail server never slows the form down.
        await platform.queue.dispatch(mailSendJob, {
          id: `reset-${Date.now()}-${randomBytes(6).toString("hex")}`,
          to,
          subject: "Reset your MARG password",
          text: `Someone asked to reset the password of your MARG account.\n\nChoose a new password here (the link works once, for 60 minutes):\n${link}\n\nIf it was not you, ignore this mail: your password stays as it is.\n`,
        });
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
