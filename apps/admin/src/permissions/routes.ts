import { MargError } from "@marg/core/errors";
import type { FastifyInstance } from "fastify";
import type { AdminRouteContext } from "../services.js";
import { permissionDetailView, permissionListView } from "./views.js";

/** "Who has what": every permission with the roles that give it, and one permission's holders. */
export function registerPermissionRoutes(app: FastifyInstance, ctx: AdminRouteContext): void {
  const { pages, guards, services } = ctx;
  const manage = guards.requirePermission("roles.manage");

  app.get("/permissions", { preHandler: manage }, async (request, reply) =>
    pages.page(request, reply, {
      title: "Who has what",
      current: "/roles",
      body: permissionListView({ coverage: await services.holders.overview() }),
    }),
  );

  app.get("/permissions/:name", { preHandler: manage }, async (request, reply) => {
    const name = String((request.params as { name?: unknown }).name ?? "");
    const found = name.length <= 100 ? await services.holders.holdersOf(name) : undefined;
    if (found === undefined) {
      throw new MargError(
        "E_RBAC_UNKNOWN_PERMISSION",
        "There is no such permission. Go back to the list and pick one.",
        {
          status: 404,
        },
      );
    }
    return pages.page(request, reply, {
      title: `Who has ${name}`,
      current: "/roles",
      body: permissionDetailView(found),
    });
  });
}
