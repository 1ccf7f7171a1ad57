import type { RbacGuards, RbacService } from "@marg/core/rbac";
import { parseJson } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import { actorOf, idParam } from "./actor.js";
import {
  createLinkSchemaDoc,
  deleteLinkSchema,
  documented,
  getLinkSchema,
  listLinksSchema,
  updateLinkSchemaDoc,
} from "./api-schemas.js";
import { createLinkSchema, listQuerySchema, updateLinkSchema } from "./input-schemas.js";
import { linkJson } from "./presenter.js";
import type { LinkService } from "./service.js";

export interface LinkApiDeps {
  readonly service: LinkService;
  readonly guards: RbacGuards;
  readonly rbac: RbacService;
  readonly baseUrl: string;
}

/** /api/v1/links: the same operations as the pages, as JSON, behind the same guards. */
export function registerLinkApi(app: FastifyInstance, deps: LinkApiDeps): void {
  const { service, guards, rbac, baseUrl } = deps;
  const present = (link: Parameters<typeof linkJson>[0]) => linkJson(link, baseUrl);

  app.get(
    "/api/v1/links",
    { ...documented(listLinksSchema), preHandler: guards.requirePermission("links.view") },
    async (request) => {
      const query = parseJson(listQuerySchema, request.query);
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
      const input = parseJson(createLinkSchema, request.body);
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
      const input = parseJson(updateLinkSchema, request.body);
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
}
