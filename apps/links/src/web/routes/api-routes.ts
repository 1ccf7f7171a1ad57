import { MargError } from "@marg/core/errors";
import type { Queue } from "@marg/core/queue";
import type { RbacGuards, RbacService } from "@marg/core/rbac";
import { fieldErrors } from "@marg/core/web";
import type { FastifyInstance, FastifySchema } from "fastify";
import type { ZodType } from "zod";
import { dayOf } from "../../domain/click-facts.js";
import {
  createLinkSchema,
  listQuerySchema,
  statsQuerySchema,
  updateLinkSchema,
} from "../../domain/link-input-schema.js";
import type { LinkService } from "../../links/link-service.js";
import type { StatsService } from "../../stats/stats-service.js";
import { actorOf, idParam } from "../link-actor.js";
import { queueClicksExport } from "../link-export.js";
import { linkJson } from "../link-json.js";
import {
  createLinkSchemaDoc,
  deleteLinkSchema,
  exportLinkSchema,
  getLinkSchema,
  linkStatsSchema,
  listLinksSchema,
  updateLinkSchemaDoc,
} from "./api-schemas.js";

export interface LinkApiDeps {
  readonly service: LinkService;
  readonly stats: StatsService;
  readonly queue: Queue | undefined;
  readonly guards: RbacGuards;
  readonly rbac: RbacService;
  readonly baseUrl: string;
  readonly now: () => number;
}

/** Parses with the shared zod schema; problems become 422 E_VALIDATION with `fields`. */
function parse<T>(schema: ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input ?? {});
  if (parsed.success) return parsed.data;
  throw new MargError("E_VALIDATION", "Some fields are not valid; each one is listed with what to fix.", {
    status: 422,
    details: { fields: fieldErrors(parsed.error.issues) },
  });
}

/** The schema documents the route; zod validates (one set of rules for forms and API). */
const documented = (schema: FastifySchema) => ({ schema, validatorCompiler: () => () => true });

/** /api/v1/links: the same operations as the pages, as JSON, behind the same guards. */
export function registerLinkApi(app: FastifyInstance, deps: LinkApiDeps): void {
  const { service, guards, rbac, baseUrl } = deps;
  const present = (link: Parameters<typeof linkJson>[0]) => linkJson(link, baseUrl);

  app.get(
    "/api/v1/links",
    { ...documented(listLinksSchema), preHandler: guards.requirePermission("links.view") },
    async (request) => {
      const query = parse(listQuerySchema, request.query);
      const page = await service.list(await actorOf(request, rbac), query);
      return {
        data: page.items.map(present),
        pagination: {
          page: page.page,
          perPage: page.perPage,
          total: page.total,
          pages: Math.max(1, Math.ceil(page.total / page.perPage)),
        },
      };
    },
  );

  app.post(
    "/api/v1/links",
    { ...documented(createLinkSchemaDoc), preHandler: guards.requirePermission("links.create") },
    async (request, reply) => {
      const input = parse(createLinkSchema, request.body);
      const link = await service.create(await actorOf(request, rbac), input);
      return reply
        .code(201)
        .header("location", `/api/v1/links/${link.id}`)
        .send({ data: present(link) });
    },
  );

  app.get(
    "/api/v1/links/:id",
    { ...documented(getLinkSchema), preHandler: guards.requirePermission("links.view") },
    async (request) => ({ data: present(await service.get(await actorOf(request, rbac), idParam(request))) }),
  );

  app.patch(
    "/api/v1/links/:id",
    { ...documented(updateLinkSchemaDoc), preHandler: guards.requirePermission("links.update") },
    async (request) => {
      const actor = await actorOf(request, rbac);
      const link = await service.get(actor, idParam(request));
      const input = parse(updateLinkSchema, request.body);
      return { data: present(await service.update(actor, link.id, input)) };
    },
  );

  app.delete(
    "/api/v1/links/:id",
    { ...documented(deleteLinkSchema), preHandler: guards.requirePermission("links.delete") },
    async (request, reply) => {
      await service.delete(await actorOf(request, rbac), idParam(request));
      return reply.code(204).send();
    },
  );

  app.get(
    "/api/v1/links/:id/stats",
    { ...documented(linkStatsSchema), preHandler: guards.requirePermission("links.stats") },
    async (request) => {
      const link = await service.get(await actorOf(request, rbac), idParam(request));
      const { days } = parse(statsQuerySchema, request.query);
      return { data: await deps.stats.forLink(link.id, days) };
    },
  );

  app.post(
    "/api/v1/links/:id/exports",
    { ...documented(exportLinkSchema), preHandler: guards.requirePermission("links.stats") },
    async (request, reply) => {
      const link = await service.get(await actorOf(request, rbac), idParam(request));
      const { days } = parse(statsQuerySchema, request.query);
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
