import type { RbacGuards, RbacService } from "@marg/core/rbac";
import { type PageRenderer, parseJson } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import { actorOf, idParam } from "../links/actor.js";
import { documented } from "../links/api-schemas.js";
import type { LinkService } from "../links/service.js";
import { linkStatsSchema } from "./api-schemas.js";
import { statsDaysOf, statsQuerySchema } from "./input-schemas.js";
import type { StatsService } from "./service.js";
import { statsView } from "./views.js";

export interface StatsRoutesDeps {
  readonly service: LinkService;
  readonly stats: StatsService;
  readonly pages: PageRenderer;
  readonly guards: RbacGuards;
  readonly rbac: RbacService;
  readonly baseUrl: string;
  /** Whether the page offers "Export CSV" (the installation has a queue for it). */
  readonly canExport: boolean;
}

/** A link's statistics: the page (SVG chart, top referrers) and GET /api/v1/links/{id}/stats. */
export function registerStatsRoutes(app: FastifyInstance, deps: StatsRoutesDeps): void {
  const { service, guards, rbac } = deps;

  app.get(
    "/links/:id/stats",
    { preHandler: guards.requirePermission("links.stats") },
    async (request, reply) => {
      const link = await service.get(await actorOf(request, rbac), idParam(request));
      const days = statsDaysOf(request.query);
      return deps.pages.page(request, reply, {
        title: `Statistics of /${link.slug}`,
        current: "/links",
        body: statsView({
          link,
          stats: await deps.stats.forLink(link.id, days),
          days,
          shortUrl: `${deps.baseUrl}/${link.slug}`,
          csrfToken: await request.session.csrfToken(),
          canExport: deps.canExport,
          canEdit: await request.can("links.update"),
        }),
      });
    },
  );

  app.get(
    "/api/v1/links/:id/stats",
    { ...documented(linkStatsSchema), preHandler: guards.requirePermission("links.stats") },
    async (request) => {
      const link = await service.get(await actorOf(request, rbac), idParam(request));
      const { days } = parseJson(statsQuerySchema, request.query);
      return { data: await deps.stats.forLink(link.id, days) };
    },
  );
}
