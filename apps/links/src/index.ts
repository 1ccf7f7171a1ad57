import { type AppContext, defineApp } from "@marg/core/app";
import type { AnyJobDefinition, AnyJobSpec } from "@marg/core/queue";
import type { FastifyInstance } from "fastify";
import {
  createFlushClicksJob,
  createFlushClicksSchedule,
  flushClicksSpec,
} from "./clicks/flush-clicks-job.js";
import { LINKS_APP } from "./db/links-database.js";
import { linksMigrations } from "./db/links-migrations.js";
import { isShortLinkPath } from "./domain/slug.js";
import { createLinksExportJob } from "./jobs/links-export-job.js";
import { linksExportJob } from "./jobs/links-export-spec.js";
import {
  createLinksRuntime,
  type LinksOverrides,
  type LinksRuntime,
  targetPolicyOf,
} from "./links-runtime.js";
import { registerRedirectRoute } from "./redirect/redirect-route.js";
import { linksDemoSeeder } from "./seed/links-demo-seeder.js";
import { registerLinkApi } from "./web/routes/api-routes.js";
import { registerLinkPages } from "./web/routes/link-pages.js";
import { registerStatsPages } from "./web/routes/stats-pages.js";

/**
 * links.marg — short links, the public redirect GET /{slug} and click statistics.
 * Database: links_db. `createLinksApp(overrides)` builds it with replaced parts
 * (tests, benchmarks); `onRuntime` hands out the runtime it built.
 */
export function createLinksApp(
  overrides: LinksOverrides & { onRuntime?: (runtime: LinksRuntime) => void } = {},
) {
  return defineApp({
    id: LINKS_APP.id,
    title: LINKS_APP.title,
    database: LINKS_APP.database,
    migrations: [linksMigrations],
    seeders: [linksDemoSeeder],
    // "New short link" is a button on the list, shown only to those who may create.
    nav: [{ href: "/links", label: "My links", permission: "links.view" }],
    // What links' pages dispatch, declared once (links-export-spec.ts): `marg work` checks its handlers against these.
    dispatches: [linksExportJob, flushClicksSpec] as readonly AnyJobSpec[],
    jobs: (platform): readonly AnyJobDefinition[] =>
      [createFlushClicksJob(platform), createLinksExportJob(platform)] as AnyJobDefinition[],
    // A short link leads anywhere its owner chose: sign-in's `next` never goes there.
    redirectsOffSite: isShortLinkPath,
    schedules: (platform) => [createFlushClicksSchedule(platform)],
    routes(app: FastifyInstance, ctx: AppContext) {
      const runtime = createLinksRuntime(ctx.platform, overrides, (path) =>
        app.hasRoute({ method: "GET", url: path }),
      );
      overrides.onRuntime?.(runtime);
      const baseUrl = ctx.platform.config.app.url.replace(/\/$/, "");
      const common = { service: runtime.service, guards: ctx.guards, rbac: ctx.platform.rbac, baseUrl };
      registerLinkPages(app, { ...common, pages: ctx.pages });
      registerStatsPages(app, {
        ...common,
        pages: ctx.pages,
        stats: runtime.stats,
        queue: runtime.queue,
        now: runtime.now,
        attachMaxMb: ctx.platform.config.reports.attachMaxBytes / 1_048_576,
      });
      registerLinkApi(app, { ...common, stats: runtime.stats, queue: runtime.queue, now: runtime.now });
      registerRedirectRoute(app, {
        slugs: runtime.slugs,
        counter: runtime.counter,
        now: runtime.now,
        targetPolicy: targetPolicyOf(ctx.platform),
      });
    },
  });
}

export const app = createLinksApp();

export { flushClicks } from "./clicks/flush-clicks.js";
export { createFlushClicksJob, flushClicksSpec } from "./clicks/flush-clicks-job.js";
export type { ClickCounter } from "./clicks/types.js";
export { LINKS_ERRORS } from "./errors.js";
export { createLinksExportJob } from "./jobs/links-export-job.js";
export { type LinksExportPayload, linksExportJob, linksExportPayload } from "./jobs/links-export-spec.js";
