import { type AppContext, defineApp } from "@marg/core/app";
import type { AnyJobDefinition, AnyJobSpec } from "@marg/core/queue";
import type { FastifyInstance } from "fastify";
import {
  createLinksServices,
  type LinksOverrides,
  type LinksServices,
  targetPolicyOf,
} from "./app-services.js";
import {
  createFlushClicksJob,
  createFlushClicksSchedule,
  flushClicksSpec,
} from "./clicks/flush-clicks-job.js";
import { LINKS_APP } from "./db/database.js";
import { linksDemoSeeder } from "./db/demo-seeder.js";
import { linksMigrations } from "./db/migrations.js";
import { createLinksExportJob } from "./export/job.js";
import { linksExportJob } from "./export/job-spec.js";
import { registerExportRoutes } from "./export/routes.js";
import { registerLinkApi } from "./links/api-routes.js";
import { registerLinkPages } from "./links/page-routes.js";
import { isShortLinkPath } from "./links/slug.js";
import { registerRedirectRoute } from "./redirect/routes.js";
import { registerStatsRoutes } from "./stats/routes.js";

/**
 * links.marg — short links, the public redirect GET /{slug} and click statistics.
 * Database: links_db. `createLinksApp(overrides)` builds it with replaced parts
 * (tests, benchmarks); `onRuntime` hands out the services it built.
 */
export function createLinksApp(
  overrides: LinksOverrides & { onRuntime?: (runtime: LinksServices) => void } = {},
) {
  return defineApp({
    id: LINKS_APP.id,
    title: LINKS_APP.title,
    database: LINKS_APP.database,
    migrations: [linksMigrations],
    seeders: [linksDemoSeeder],
    // "New short link" is a button on the list, shown only to those who may create.
    nav: [{ href: "/links", label: "My links", permission: "links.view" }],
    // What links' pages dispatch, declared once (export/job-spec.ts): `marg work` checks its handlers against these.
    dispatches: [linksExportJob, flushClicksSpec] as readonly AnyJobSpec[],
    jobs: (platform): readonly AnyJobDefinition[] =>
      [createFlushClicksJob(platform), createLinksExportJob(platform)] as AnyJobDefinition[],
    // A short link leads anywhere its owner chose: sign-in's `next` never goes there.
    redirectsOffSite: isShortLinkPath,
    schedules: (platform) => [createFlushClicksSchedule(platform)],
    routes(app: FastifyInstance, ctx: AppContext) {
      const services = createLinksServices(ctx.platform, overrides, (path) =>
        app.hasRoute({ method: "GET", url: path }),
      );
      overrides.onRuntime?.(services);
      const baseUrl = ctx.platform.config.app.url.replace(/\/$/, "");
      const common = { service: services.service, guards: ctx.guards, rbac: ctx.platform.rbac };
      registerLinkPages(app, { ...common, pages: ctx.pages, baseUrl });
      registerLinkApi(app, { ...common, baseUrl });
      registerStatsRoutes(app, {
        ...common,
        pages: ctx.pages,
        baseUrl,
        stats: services.stats,
        canExport: services.queue !== undefined,
      });
      registerExportRoutes(app, {
        ...common,
        queue: services.queue,
        now: services.now,
        attachMaxMb: ctx.platform.config.reports.attachMaxBytes / 1_048_576,
      });
      registerRedirectRoute(app, {
        slugs: services.slugs,
        counter: services.counter,
        now: services.now,
        targetPolicy: targetPolicyOf(ctx.platform),
      });
    },
  });
}

export const app = createLinksApp();
