import { hostname } from "node:os";
import type { FastifyInstance } from "fastify";
import type { MargAppDefinition } from "../app/app-definition.js";
import type { HealthCheck } from "../health/types.js";
import {
  createMaintenanceCheck,
  createMaintenanceGate,
  createMaintenanceStore,
  type MaintenanceGate,
  type MaintenanceTables,
} from "../maintenance/index.js";
import { instrumentSessionStore, type MargMetrics, margMetrics } from "../metrics/index.js";
import type { Platform } from "../platform/types.js";
import { sessionPlugin } from "../session/session-plugin.js";
import { appOrigins, layoutApps } from "./app-links.js";
import { registerAppRoutes } from "./app-routes.js";
import type { AuthRouteContext } from "./auth/index.js";
import { createHttpApp } from "./create-http-app.js";
import { createLayoutErrorPage } from "./error-page-in-layout.js";
import { createMaintenancePage } from "./maintenance-page.js";
import { csrfPlugin } from "./plugins/csrf-plugin.js";
import { currentUserPlugin } from "./plugins/current-user-plugin.js";
import { httpMetricsPlugin } from "./plugins/http-metrics-plugin.js";
import { maintenancePlugin } from "./plugins/maintenance-plugin.js";
import { originGuardPlugin } from "./plugins/origin-guard-plugin.js";
import { permissionsPlugin } from "./plugins/permissions-plugin.js";
import { rateLimitsPlugin } from "./plugins/rate-limits-plugin.js";
import { stickyReadsPlugin } from "./plugins/sticky-reads-plugin.js";

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
  await app.register(csrfPlugin);
  await app.register(permissionsPlugin, { rbac: platform.rbac });
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
