import { MargError } from "@marg/core/errors";
import type { Queue } from "@marg/core/queue";
import type { RbacGuards, RbacService } from "@marg/core/rbac";
import { flash, parseJson } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import { dayOf } from "../clicks/click-facts.js";
import { actorOf, idParam } from "../links/actor.js";
import { documented } from "../links/api-schemas.js";
import type { LinkService } from "../links/service.js";
import { statsDaysOf, statsQuerySchema } from "../stats/input-schemas.js";
import { exportLinkSchema } from "./api-schemas.js";
import { queueClicksExport } from "./service.js";

export interface ExportRoutesDeps {
  readonly service: LinkService;
  /** Where exports go; undefined when the installation has none (the routes then say so). */
  readonly queue: Queue | undefined;
  readonly guards: RbacGuards;
  readonly rbac: RbacService;
  readonly now: () => number;
  /** REPORT_ATTACH_MAX_MB: a larger export is mailed without its file, which the page tells beforehand. */
  readonly attachMaxMb: number;
}

/** "Export CSV" on the stats page and POST /api/v1/links/{id}/exports: both queue `links.export`. */
export function registerExportRoutes(app: FastifyInstance, deps: ExportRoutesDeps): void {
  const { service, guards, rbac } = deps;

  app.post(
    "/links/:id/export",
    { preHandler: guards.requirePermission("links.stats") },
    async (request, reply) => {
      const link = await service.get(await actorOf(request, rbac), idParam(request));
      const days = statsDaysOf(request.query);
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

  app.post(
    "/api/v1/links/:id/exports",
    { ...documented(exportLinkSchema), preHandler: guards.requirePermission("links.stats") },
    async (request, reply) => {
      const link = await service.get(await actorOf(request, rbac), idParam(request));
      const { days } = parseJson(statsQuerySchema, request.query);
      const user = request.user;
      if (deps.queue === undefined || user === null) {
        throw new MargError(
          "E_LINK_EXPORT_UNAVAILABLE",
          "CSV export is not available on this installation.",
          {
            status: 503,
          },
        );
      }
      const jobId = await queueClicksExport({
        queue: deps.queue,
        link,
        days,
        user,
        today: dayOf(deps.now()),
      });
      return reply.code(202).send({ data: { jobId } });
    },
  );
}
