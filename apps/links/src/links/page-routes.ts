import { isMargError } from "@marg/core/errors";
import type { RbacGuards, RbacService } from "@marg/core/rbac";
import { errorFieldErrors, type FieldErrors, flash, type PageRenderer, validateForm } from "@marg/core/web";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { actorOf, idParam } from "./actor.js";
import { deleteConfirmView, EMPTY_LINK_FORM, type LinkFormValues, linkFormView } from "./form-views.js";
import { createLinkSchema, formToLinkInput, listQuerySchema } from "./input-schemas.js";
import { linkListView } from "./list-views.js";
import type { LinkService } from "./service.js";
import type { Link } from "./types.js";

export interface LinkPagesDeps {
  readonly service: LinkService;
  readonly pages: PageRenderer;
  readonly guards: RbacGuards;
  readonly rbac: RbacService;
  readonly baseUrl: string;
}

function typedValues(body: unknown): LinkFormValues {
  const input = formToLinkInput(body);
  return {
    targetUrl: String(input.targetUrl),
    slug: String(input.slug),
    title: String(input.title),
    tags: String(input.tags),
    enabled: input.enabled === true,
  };
}

function valuesOf(link: Link): LinkFormValues {
  return {
    targetUrl: link.targetUrl,
    slug: link.slug,
    title: link.title,
    tags: link.tags.join(", "),
    enabled: link.enabled,
  };
}

/** Field messages of an E_VALIDATION MargError (slug taken or reserved), else rethrows. */
function validationFields(error: unknown): FieldErrors {
  const fields = isMargError(error) && error.code === "E_VALIDATION" ? errorFieldErrors(error) : undefined;
  if (fields === undefined) throw error;
  return fields;
}

/** The pages of "my links": list, create, edit, switch on/off, delete. */
export function registerLinkPages(app: FastifyInstance, deps: LinkPagesDeps): void {
  const { service, pages, guards, rbac } = deps;
  const can = async (request: FastifyRequest) => ({
    create: await request.can("links.create"),
    update: await request.can("links.update"),
    delete: await request.can("links.delete"),
    stats: await request.can("links.stats"),
  });

  const form = async (
    request: FastifyRequest,
    reply: FastifyReply,
    options: { id?: number; values: LinkFormValues; errors?: Record<string, string>; status?: number },
  ) =>
    pages.page(request, reply, {
      title: options.id === undefined ? "New short link" : "Edit link",
      current: "/links",
      status: options.status ?? 200,
      body: linkFormView({
        action: options.id === undefined ? "/links" : `/links/${options.id}`,
        heading: options.id === undefined ? "New short link" : `Edit /${options.values.slug}`,
        submit: options.id === undefined ? "Create short link" : "Save changes",
        csrfToken: await request.session.csrfToken(),
        values: options.values,
        errors: options.errors ?? {},
        baseUrl: deps.baseUrl,
        editing: options.id !== undefined,
      }),
    });

  app.get("/", async (request, reply) => reply.redirect(request.user === null ? "/login" : "/links", 303));

  app.get("/links", { preHandler: guards.requirePermission("links.view") }, async (request, reply) => {
    const parsed = listQuerySchema.safeParse(request.query);
    const query = parsed.success ? { ...parsed.data, perPage: 20 } : listQuerySchema.parse({});
    const actor = await actorOf(request, rbac);
    const [page, tags] = await Promise.all([service.list(actor, query), service.tags(actor)]);
    return pages.page(request, reply, {
      title: actor.seesAll ? "All links" : "My links",
      current: "/links",
      body: linkListView({
        page,
        query,
        tags,
        baseUrl: deps.baseUrl,
        seesAll: actor.seesAll,
        csrfToken: await request.session.csrfToken(),
        can: await can(request),
      }),
    });
  });

  app.get("/links/new", { preHandler: guards.requirePermission("links.create") }, (request, reply) =>
    form(request, reply, { values: EMPTY_LINK_FORM }),
  );

  app.post("/links", { preHandler: guards.requirePermission("links.create") }, async (request, reply) => {
    const parsed = validateForm(createLinkSchema, formToLinkInput(request.body));
    const values = typedValues(request.body);
    if (!parsed.ok) return form(request, reply, { values, errors: parsed.fields, status: 422 });
    try {
      const link = await service.create(await actorOf(request, rbac), parsed.data);
      await flash(request, "success", `Created ${deps.baseUrl}/${link.slug}`);
      return reply.redirect("/links", 303);
    } catch (error) {
      return form(request, reply, { values, errors: validationFields(error), status: 422 });
    }
  });

  app.get(
    "/links/:id/edit",
    { preHandler: guards.requirePermission("links.update") },
    async (request, reply) => {
      const link = await service.get(await actorOf(request, rbac), idParam(request));
      return form(request, reply, { id: link.id, values: valuesOf(link) });
    },
  );

  app.post("/links/:id", { preHandler: guards.requirePermission("links.update") }, async (request, reply) => {
    const actor = await actorOf(request, rbac);
    const link = await service.get(actor, idParam(request));
    const parsed = validateForm(createLinkSchema, formToLinkInput(request.body));
    const values = typedValues(request.body);
    if (!parsed.ok) return form(request, reply, { id: link.id, values, errors: parsed.fields, status: 422 });
    try {
      const saved = await service.update(actor, link.id, parsed.data);
      await flash(request, "success", `Saved /${saved.slug}`);
      return reply.redirect("/links", 303);
    } catch (error) {
      return form(request, reply, { id: link.id, values, errors: validationFields(error), status: 422 });
    }
  });

  app.post(
    "/links/:id/toggle",
    { preHandler: guards.requirePermission("links.update") },
    async (request, reply) => {
      const actor = await actorOf(request, rbac);
      const link = await service.get(actor, idParam(request));
      const saved = await service.setEnabled(actor, link.id, !link.enabled);
      await flash(
        request,
        "success",
        saved.enabled
          ? `/${saved.slug} redirects again`
          : `/${saved.slug} is switched off: it now answers "not found"`,
      );
      return reply.redirect("/links", 303);
    },
  );

  app.get(
    "/links/:id/delete",
    { preHandler: guards.requirePermission("links.delete") },
    async (request, reply) => {
      const link = await service.get(await actorOf(request, rbac), idParam(request));
      return pages.page(request, reply, {
        title: `Delete /${link.slug}`,
        current: "/links",
        body: deleteConfirmView({
          id: link.id,
          slug: link.slug,
          shortUrl: `${deps.baseUrl}/${link.slug}`,
          csrfToken: await request.session.csrfToken(),
        }),
      });
    },
  );

  app.post(
    "/links/:id/delete",
    { preHandler: guards.requirePermission("links.delete") },
    async (request, reply) => {
      const link = await service.delete(await actorOf(request, rbac), idParam(request));
      await flash(request, "success", `Deleted /${link.slug}`);
      return reply.redirect("/links", 303);
    },
  );
}
