import type { FastifyInstance } from "fastify";
import type { HealthCheck } from "../health/types.js";
import type { MaintenanceGate } from "../maintenance/index.js";
import type { MargMetrics } from "../metrics/index.js";
import type { Platform } from "../platform/types.js";
import type { AuthRouteContext } from "../web/auth/index.js";

/** What `createAppServer` takes beside the app's definition and the platform. */
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
