import { hostname } from "node:os";
import type { FastifyInstance } from "fastify";
import type { MargAppDefinition } from "../app/app-definition.js";
import {
  createMaintenanceCheck,
  createMaintenanceGate,
  createMaintenanceStore,
  type MaintenanceGate,
  type MaintenanceTables,
} from "../maintenance/index.js";
import { instrumentSessionStore, margMetrics } from "../metrics/index.js";
import type { Platform } from "../platform/types.js";
import { sessionPlugin } from "../session/session-plugin.js";
import { appOrigins, layoutApps } from "../web/app-links.js";
import { createHttpApp } from "../web/create-http-app.js";
import { createLayoutErrorPage } from "../web/error-page-in-layout.js";
import { createMaintenancePage } from "../web/maintenance-page.js";
import { bearerTokenPlugin } from "../web/plugins/bearer-token-plugin.js";
import { csrfPlugin } from "../web/plugins/csrf-plugin.js";
import { currentUserPlugin } from "../web/plugins/current-user-plugin.js";
import { httpMetricsPlugin } from "../web/plugins/http-metrics-plugin.js";
import { maintenancePlugin } from "../web/plugins/maintenance-plugin.js";
import { originGuardPlugin } from "../web/plugins/origin-guard-plugin.js";
import { permissionsPlugin } from "../web/plugins/permissions-plugin.js";
import { rateLimitsPlugin } from "../web/plugins/rate-limits-plugin.js";
import { stickyReadsPlugin } from "../web/plugins/sticky-reads-plugin.js";
import { twoFactorRequirementPlugin } from "../web/plugins/two-factor-requirement-plugin.js";
import { registerAppRoutes } from "./app-routes.js";
import type { AppServerOptions } from "./app-server-options.js";

/**
 * One app of the ecosystem as a Fastify instance (not yet listening): the request
 * path as named plugins, in the order Fastify checks (each lists what it needs in
 * `dependencies`; see docs/architecture.md), then the platform's routes and the app's.
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
  const frame = { appId: definition.id, appTitle: definition.title, apps };
  // marg-standard-headers (with the identity headers) and marg-request-scope come with the app.
  const app = createHttpApp(config, {
    logger: platform.logger,
    renderErrorPage: createLayoutErrorPage(frame),
    identityHeaders: identityHeaders(config.http.servedByHeader),
  });
  const metrics = options.metrics ?? margMetrics();
  await app.register(httpMetricsPlugin, {
    metrics,
    appId: definition.id,
    access: config.metrics,
    redis: platform.redis?.client,
    queueSizes: () => platform.queueBackend.counts(),
  });
  if (options.maintenance !== false) {
    const gate = options.maintenance ?? (await sharedMaintenanceGate(platform));
    await app.register(maintenancePlugin, {
      check: createMaintenanceCheck({ gate, appId: definition.id }),
      cookie: { domain: config.session.domain, secure: config.session.secure },
      renderPage: createMaintenancePage(frame),
    });
  }
  await app.register(stickyReadsPlugin, { config });
  const store = instrumentSessionStore(platform.sessions, metrics, config.session.driver);
  await app.register(sessionPlugin, { config, store, logger: platform.logger });
  await app.register(originGuardPlugin, { origins: appOrigins(config).keys() });
  await app.register(currentUserPlugin);
  await app.register(bearerTokenPlugin, {
    tokens: platform.accounts.tokens,
    appId: definition.id,
    sessionCookie: config.session.cookie,
  });
  await app.register(csrfPlugin);
  await app.register(permissionsPlugin, { rbac: platform.rbac });
  await app.register(twoFactorRequirementPlugin, {
    requirement: config.auth.requireTwoFactor,
    accounts: platform.accounts,
  });
  await app.register(rateLimitsPlugin, { throttle: platform.throttle, limits: config.rateLimits });
  await registerAppRoutes(app, definition, platform, { ...options, apps });
  return app;
}

/**
 * The running version on every response, so a rolling deploy can be watched (MARG_VERSION,
 * set by deploy); which process answered (MARG_INSTANCE, else host:pid), so a load balancer's
 * spread can be seen — off in production unless SERVED_BY_HEADER: it tells a visitor the host name and pid.
 */
function identityHeaders(servedByHeader: boolean): Record<string, string> {
  const version = process.env.MARG_VERSION ?? "0.1.0";
  const servedBy = process.env.MARG_INSTANCE ?? `${hostname()}:${process.pid}`;
  return { "x-marg-version": version, ...(servedByHeader ? { "x-served-by": servedBy } : {}) };
}

/** Maintenance mode's default reader: a one-second cache over the shared store. */
async function sharedMaintenanceGate(platform: Platform): Promise<MaintenanceGate> {
  const store = await createMaintenanceStore(platform.config, {
    redis: platform.redis?.client,
    rbacDb: platform.databases.connection<MaintenanceTables>("rbac"),
  });
  return createMaintenanceGate(store, { logger: platform.logger });
}
