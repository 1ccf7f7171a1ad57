import { isMargError } from "@marg/core/errors";
import { holdsPermission, SUPER_ADMIN_ROLE } from "@marg/core/rbac";
import { errorFieldErrors, flash, validateForm } from "@marg/core/web";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { actorOf } from "../audit/actor.js";
import type { AdminRouteContext } from "../services.js";
import { idParam } from "../shared/route-params.js";
import { loadUserDetail } from "./detail-loader.js";
import { userDetailView } from "./detail-view.js";
import { type UserFormValues, userFormView } from "./form-view.js";
import { userListView } from "./list-view.js";
import { createUserSchema, userListQuerySchema } from "./schemas.js";

/** The users pages: list with search and filter, "new user", and one user's page. */
export function registerUserRoutes(app: FastifyInstance, ctx: AdminRouteContext): void {
  const { platform, pages, guards, services } = ctx;
  const view = guards.requirePermission("users.view");
  const manage = guards.requirePermission("users.manage");

  const roleNames = async () => (await platform.rbac.listRoles()).map((role) => role.name);

  const showForm = async (
    request: FastifyRequest,
    reply: FastifyReply,
    values: UserFormValues,
    errors: Record<string, string>,
    status = 200,
  ) =>
    pages.page(request, reply, {
      title: "New user",
      status,
      current: "/users",
      body: userFormView({
        csrf: await request.session.csrfToken(),
        values,
        errors,
        roles: await roleNames(),
      }),
    });

  app.get("/users", { preHandler: view }, async (request, reply) => {
    const query = validateForm(userListQuerySchema, request.query);
    const parsed = query.ok ? query.data : userListQuerySchema.parse({});
    const users = await platform.users.list({
      search: parsed.q,
      status: parsed.status,
      page: parsed.page,
      perPage: parsed.perPage,
    });
    return pages.page(request, reply, {
      title: "Users",
      current: "/users",
      body: userListView({ users, query: parsed, canManage: await request.can("users.manage") }),
    });
  });

  app.get("/users/new", { preHandler: manage }, async (request, reply) => showForm(request, reply, {}, {}));

  app.post("/users", { preHandler: manage }, async (request, reply) => {
    const body = (request.body ?? {}) as Record<string, unknown>;
    const values: UserFormValues = {
      name: typeof body.name === "string" ? body.name : "",
      email: typeof body.email === "string" ? body.email : "",
      role: typeof body.role === "string" ? body.role : "",
      sendResetLink: body.sendResetLink === "on",
    };
    const input = validateForm(createUserSchema, body);
    if (!input.ok) return showForm(request, reply, values, input.fields, 422);
    try {
      const { user, mailed } = await services.users.create(actorOf(request), input.data);
      await flash(
        request,
        "success",
        mailed
          ? `${user.name} was created; a link to choose a password is on its way.`
          : `${user.name} was created.`,
      );
      return reply.redirect(`/users/${user.id}`, 303);
    } catch (error) {
      const fields = isMargError(error) ? errorFieldErrors(error) : undefined;
      if (fields === undefined || !isMargError(error)) throw error;
      // A taken address stays 409; a role that vanished from the list is the form's problem (422), not a 404 page.
      return showForm(request, reply, values, fields, error.status === 409 ? 409 : 422);
    }
  });

  app.get("/users/:id", { preHandler: view }, async (request, reply) => {
    const id = idParam(request.params);
    const detail = await loadUserDetail(services, platform.users, id, platform.accounts);
    // Only a super-admin changes a super-admin or hands out the role: no buttons that the
    // access-change policy would refuse (a convenience; the policy is the protection).
    const viewer = await request.permissions();
    const superAdmin = viewer?.superAdmin === true;
    const holder = { superAdmin, grants: viewer?.source.grants ?? [] };
    const untouchable = !superAdmin && detail.roles.includes(SUPER_ADMIN_ROLE);
    const can = {
      manageUsers: !untouchable && (await request.can("users.manage")),
      manageRoles: !untouchable && (await request.can("roles.manage")),
      viewAudit: await request.can("audit.view"),
    };
    const assignableRoles = async () =>
      (await roleNames()).filter((role) => superAdmin || role !== SUPER_ADMIN_ROLE);
    const [allRoles, allPermissions, audit] = await Promise.all([
      can.manageRoles ? assignableRoles() : [],
      can.manageRoles
        ? platform.rbac
            .listPermissions()
            .then((list) => list.filter((p) => holdsPermission(holder, p)).map((p) => p.name))
        : [],
      can.viewAudit
        ? services.audit.list({ subjectType: "user", subjectId: String(id), perPage: 5 })
        : undefined,
    ]);
    return pages.page(request, reply, {
      title: detail.user.name,
      current: "/users",
      body: userDetailView({
        csrf: await request.session.csrfToken(),
        detail,
        self: request.user?.id === id,
        can,
        allRoles,
        allPermissions,
        audit: audit?.items ?? [],
        errors: {},
      }),
    });
  });
}
