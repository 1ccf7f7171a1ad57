import type { FastifyInstance } from "fastify";
import type { MigrationSet } from "../db/migration-types.js";
import type { Seeder } from "../db/seeder.js";
import type { SessionsEndedEvent } from "../platform/sessions-ended-job.js";
import type { Platform } from "../platform/types.js";
import type { AnyJobDefinition, AnyJobSpec } from "../queue/job-definition.js";
import type { ScheduledJob } from "../queue/scheduler.js";
import type { RbacGuards } from "../rbac/rbac-guards.js";
import type { NavLink } from "../web/layout.js";
import type { PageRenderer } from "../web/page-renderer.js";

/** What an app's routes receive: the platform's services and the shared page renderer. */
export interface AppContext {
  readonly platform: Platform;
  readonly pages: PageRenderer;
  /** One-line route guards: `{ preHandler: ctx.guards.requirePermission("tasks.create") }`. */
  readonly guards: RbacGuards;
}

/**
 * What an app folder exports (from `apps/<id>/src/index.ts` as `app`). Adding an
 * app to the ecosystem is this object plus its id in MARG_APPS. Grows as the
 * platform grows (routes, views, jobs); only `id` and `title` are required.
 */
export interface MargAppDefinition {
  /** Folder name and subdomain: `flow` serves flow.<domain>. */
  readonly id: string;
  /** Shown in the app switcher and page titles. */
  readonly title: string;
  /** The app's own database when DB_DATABASE is unset (flow: klueportal). */
  readonly database?: string;
  /** Migrations for the app's own connection (and any other it owns). */
  readonly migrations?: readonly MigrationSet[];
  /** Demo data for `marg db:seed`; idempotent. */
  readonly seeders?: readonly Seeder[];
  /**
   * The app's own navigation, shown under the header when signed in. A link with a
   * `permission` (the one its page's route guard requires) is shown only to users
   * who hold it; a link without one, to every signed-in user.
   */
  readonly nav?: readonly Pick<NavLink, "href" | "label" | "permission">[];
  /**
   * The permissions that open the app, any one of them. Every app's switcher then
   * shows it only to signed-in users who hold one (checked as this app checks
   * them); guests still see it. Unset: shown to everyone. Guarding the routes
   * themselves stays the app's job.
   */
  readonly access?: readonly string[];
  /**
   * True for the paths of this app that redirect to an address someone chose
   * (links' short links, `/{slug}`). Sign-in's `next` never leads there, from any
   * app, so a genuine sign-in cannot end on a foreign site. Gets the decoded path.
   */
  readonly redirectsOffSite?: (pathname: string) => boolean;
  /**
   * The app's job handlers, built with the worker's platform (so a handler can use
   * the databases, cache, mailer…). Routes dispatch by the jobs' specs.
   */
  readonly jobs?: (platform: Platform) => readonly AnyJobDefinition[];
  /**
   * The specs of every job the app's processes dispatch (name, queue, payload
   * schema), each declared once in a module the routes and the handler both
   * import. `marg work` refuses to start when one of them, on a queue it serves,
   * has no handler, or when a handler of that name disagrees with it.
   */
  readonly dispatches?: readonly AnyJobSpec[];
  /**
   * Called (in the worker, or in the dispatching process under QUEUE_CONNECTION=sync)
   * after core ended signed-in sessions: sign-out, sign-out everywhere, a device ended,
   * a user disabled, a password reset. Built once per process with that process's
   * platform. A hook that throws fails the `session.ended` job, and its retry calls
   * every app's hook again: hooks must be idempotent (the `id` app's back-channel
   * logout may reach a client twice, which OpenID allows).
   *
   * @example
   * onSessionsEnded: (platform) => async ({ userId, handles, reason }) => {
   *   platform.logger.info({ userId, reason, all: handles === null }, "sessions ended");
   * },
   */
  readonly onSessionsEnded?: (platform: Platform) => (event: SessionsEndedEvent) => Promise<void>;
  /** Periodic jobs, run once per period across every worker. */
  readonly schedules?: (platform: Platform) => readonly ScheduledJob[];
  /**
   * The app's own stylesheet: an absolute path to a CSS file, served at
   * `/assets/<id>.css` and linked in every page's `<head>` after marg.css.
   * The CSP forbids inline styles, so an app's rules live here.
   *
   * @example stylesheet: path.resolve(import.meta.dirname, "../assets/admin.css")
   */
  readonly stylesheet?: string;
  /** Declares the app's routes; account pages, /health and assets come from the platform. */
  readonly routes?: (app: FastifyInstance, ctx: AppContext) => void | Promise<void>;
}

/** Identity function that gives an app definition its type. */
export function defineApp<const T extends MargAppDefinition>(definition: T): T {
  return definition;
}
