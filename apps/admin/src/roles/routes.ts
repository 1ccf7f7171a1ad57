import { isMargError, MargError } from "@marg/core/errors";
import { holdsPermission, parseRoleName, type RoleSummary } from "@marg/core/rbac";
import { errorFieldErrors, flash, validateForm } from "@marg/core/web";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { isAccessRefusal } from "../access/service.js";
import { actorOf } from "../audit/actor.js";
import type { AdminRouteContext } from "../services.js";
import { permissionFieldSchema } from "../users/schemas.js";
import { membersOfRole } from "./repository.js";
import { createRoleSchema } from "./schemas.js";
import { type RoleFormValues, roleDetailView, roleListView } from "./views.js";

const MEMBERS_SHOWN = 200;

function roleNotFound(): MargError {
  return new MargError("E_RBAC_UNKNOWN_ROLE", "There is no such role. Go back to the roles and pick one.", {
    status: 404,
  });
}

/** Roles: list and create, one role's grants and users, grant / revoke / delete. */
export function registerRoleRoutes(app: FastifyInstance, ctx: AdminRouteContext): void {
  const { platform, pages, guards, services } = ctx;
  const manage = guards.requirePermission("roles.manage");

  const findRole = async (params: unknown): Promise<RoleSummary> => {
    const raw = (params as { name?: unknown }).name;
    let name: string;
    try {
      name = parseRoleName(raw);
    } catch {
      throw roleNotFound();
    }
    const role = (await platform.rbac.listRoles()).find((candidate) => candidate.name === name);
    if (role === undefined) throw roleNotFound();
    return role;
  };

  const showList = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: RoleFormValues,
    errors: Record<string, string>,
    status = 200,
  ) =>
    pages.page(request, reply, {
      title: "Roles",
      status,
      current: "/roles",
      body: roleListView({
        csrf: await request.session.csrfToken(),
        roles: await platform.rbac.listRoles(),
        values,
        errors,
      }),
    });

  app.get("/roles", { preHandler: manage }, async (request, reply) => showList(request, reply, {}, {}));

  app.post("/roles", { preHandler: manage }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values = {
      name: typeof body.name === "string" ? body.name : "",
      description: typeof body.description === "string" ? body.description : "",
    };
    const input = validateForm(createRoleSchema, body);
    if (!input.ok) return showList(request, reply, values, input.fields, 422);
    try {
      const role = await services.rbacAdmin.createRole(
        actorOf(request),
        input.data.name,
        input.data.description,
      );
      await flash(request, "success", `Role ${role.name} created; grant it permissions below.`);
      return reply.redirect(`/roles/${role.name}`, 303);
    } catch (error) {
      const fields = isMargError(error) ? errorFieldErrors(error) : undefined;
      if (fields === undefined || !isMargError(error)) throw error;
      return showList(request, reply, values, { name: fields.name ?? error.message }, error.status);
    }
  });

  app.get("/roles/:name", { preHandler: manage }, async (request, reply) => {
    const role = await findRole(request.params);
    // Buttons only for what the access-change policy would let this viewer grant or revoke.
    const viewer = await request.permissions();
    const holder = { superAdmin: viewer?.superAdmin === true, grants: viewer?.source.grants ?? [] };
    return pages.page(request, reply, {
      title: `Role ${role.name}`,
      current: "/roles",
      body: roleDetailView({
        csrf: await request.session.csrfToken(),
        role,
        permissions: await platform.rbac.listPermissions(),
        members: await membersOfRole(services.db, role.id, MEMBERS_SHOWN),
        changeable: (permission) => holdsPermission(holder, permission),
      }),
    });
  });

  const change = (verb: "grant" | "revoke") =>
    app.post(`/roles/:name/${verb}`, { preHandler: manage }, async (request, reply) => {
      const role = await findRole(request.params);
      const parsed = validateForm(permissionFieldSchema, request.body);
      try {
        if (!parsed.ok)
          throw new MargError("E_VALIDATION", parsed.fields.permission ?? "Choose a permission.", {
            status: 422,
          });
        const permission = parsed.data.permission;
        const { changed } = await services.rbacAdmin[verb](actorOf(request), role.name, permission);
        const done =
          verb === "grant"
            ? `${role.name} may now ${permission}.`
            : `${role.name} no longer has ${permission}.`;
        await flash(request, changed ? "success" : "info", changed ? done : "Nothing changed.");
      } catch (error) {
        if (!isMargError(error) || error.status >= 500 || isAccessRefusal(error)) throw error;
        await flash(request, "error", error.message);
      }
      return reply.redirect(`/roles/${role.name}`, 303);
    });
  change("grant");
  change("revoke");

  app.post("/roles/:name/delete", { preHandler: manage }, async (request, reply) => {
    const role = await findRole(request.params);
    try {
      await services.rbacAdmin.deleteRole(actorOf(request), role.name);
    } catch (error) {
      if (!isMargError(error) || error.status >= 500 || isAccessRefusal(error)) throw error;
      await flash(request, "error", error.message);
      return reply.redirect(`/roles/${role.name}`, 303);
    }
    await flash(request, "success", `Role ${role.name} deleted.`);
    return reply.redirect("/roles", 303);
  });
}
