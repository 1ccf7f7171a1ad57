import type { Queue } from "@marg/core/queue";
import type { RbacGuards, RbacService } from "@marg/core/rbac";
import { flash, type PageRenderer } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import { dayOf } from "../../domain/click-facts.js";
import { statsQuerySchema } from "../../domain/link-input-schema.js";
import type { LinkService } from "../../links/link-service.js";
import type { StatsService } from "../../stats/stats-service.js";
import { actorOf, idParam } from "../link-actor.js";
import { queueClicksExport } from "../link-export.js";
import { statsView } from "../views/stats-view.js";

export interface StatsPagesDeps {
  readonly service: LinkService;
  readonly stats: StatsService;
  readonly queue: Queue | undefined;
  readonly pages: PageRenderer;
  readonly guards: RbacGuards;
  readonly rbac: RbacService;
  readonly baseUrl: string;
  readonly now: () => number;
  /** REPORT_ATTACH_MAX_MB: a larger export is mailed without its file, which the page tells beforehand. */
  readonly attachMaxMb: number;
}

/** A link's statistics page and its CSV export (queued as `links.export`, mailed as a CSV attachment). */
export function registerStatsPages(app: FastifyInstance, deps: StatsPagesDeps): void {
  const { service, guards, rbac } = deps;
  const daysOf = (query: unknown) => {
    const parsed = statsQuerySchema.safeParse(query);
    return parsed.success ? parsed.data.days : 30;
  };

  app.get(
    "/links/:id/stats",
    { preHandler: guards.requirePermission("links.stats") },
    async (request, reply) => {
      const link = await service.get(await actorOf(request, rbac), idParam(request));
      const days = daysOf(request.query);
      return deps.pages.page(request, reply, {
        title: `Statistics of /${link.slug}`,
        current: "/links",
        body: statsView({
          link,
          stats: await deps.stats.forLink(link.id, days),
          days,
          shortUrl: `${deps.baseUrl}/${link.slug}`,
          csrfToken: await request.session.csrfToken(),
          canExport: deps.queue !== undefined,
          canEdit: await request.can("links.update"),
        }),
      });
    },
  );

  app.post(
    "/links/:id/export",
    { preHandler: guards.requirePermission("links.stats") },
    async (request, reply) => {
      const link = await service.get(await actorOf(request, rbac), idParam(request));
      const days = daysOf(request.query);
      const back = `/links/${link.id}/stats?days=${days}`;
      const user = request.user;
      if (deps.queue === undefined || user === null) {
        await flash(request, "error", "CSV export is not available on this installation.");
        return reply.redirect(back, 303);
      }
      try {
        await queueClicksExport({
          queue: deps.queue,
          link,
          days,
          user,
          today: dayOf(deps.now()),
        });
        await flash(
          request,
          "success",
          `Your CSV of /${link.slug} is being prepared; every row will be sent to ${user.email} as an attachment (a file over ${deps.attachMaxMb} MB is not attached: the mail then says so).`,
        );
      } catch (error) {
        await flash(request, "error", (error as Error).message);
      }
      return reply.redirect(back, 303);
    },
  );
}
