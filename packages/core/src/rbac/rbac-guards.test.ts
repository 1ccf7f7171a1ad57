import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { RbacDeniedError } from "./rbac-denial.js";
import { createRbacGuards } from "./rbac-guards.js";
import { UserPermissions } from "./user-permissions.js";

// RBAC decides and throws; rendering a denial is the web layer's (web/rbac-guards-over-http.test.ts).
const rbac = {
  permissionsFor: async (userId: number) =>
    new UserPermissions({ userId, roles: userId === 1 ? ["editor"] : [], grants: [], loadedAt: Date.now() }),
};

async function denialOf(userId: number | undefined): Promise<unknown> {
  const app = Fastify();
  const guards = createRbacGuards({ rbac, getUserId: () => userId });
  let caught: unknown;
  app.setErrorHandler((error, _request, reply) => {
    caught = error;
    return reply.code(500).send();
  });
  app.get("/admin", { preHandler: guards.requireRole("editor") }, async () => "in");
  const response = await app.inject({ url: "/admin" });
  await app.close();
  return response.body === "in" ? undefined : caught;
}

describe("route guards, on their own", () => {
  it("throw a typed 401 E_AUTH_REQUIRED for a guest, naming what was required", async () => {
    const error = await denialOf(undefined);
    expect(error).toBeInstanceOf(RbacDeniedError);
    expect(error).toMatchObject({ code: "E_AUTH_REQUIRED", status: 401, details: { role: "editor" } });
  });

  it("throw a typed 403 E_RBAC_FORBIDDEN for a user without the role, and let its holder through", async () => {
    expect(await denialOf(2)).toMatchObject({
      code: "E_RBAC_FORBIDDEN",
      status: 403,
      denial: { required: { role: "editor" } },
    });
    expect(await denialOf(1)).toBeUndefined();
  });
});
