import Fastify, { type FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMargError } from "../errors/marg-error.js";
import { createRbacGuards } from "../rbac/rbac-guards.js";
import type { RbacService } from "../rbac/rbac-service.js";
import { createRbacTestEnv, RBAC_DRIVERS, type RbacTestEnv } from "../rbac/test-support/rbac-test-env.js";
import { rbacDenialResponder } from "./rbac-denial-response.js";

const BROWSER = { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" };
const API = { accept: "application/json" };

/** A bare Fastify app on a real socket, whose "session" is the x-user header. */
async function startApp(
  rbac: RbacService,
  respond: "render" | "throw",
): Promise<{ app: FastifyInstance; url: string }> {
  const app = Fastify();
  const guards = createRbacGuards({
    rbac,
    // RBAC throws its denials; the web layer answers them, on its own (render) or through the app's handler.
    onDenied: rbacDenialResponder(respond),
    getUserId: (request) => {
      const header = request.headers["x-user"];
      return typeof header === "string" ? Number(header) : undefined;
    },
  });
  if (respond === "throw") {
    app.setErrorHandler((error, _request, reply) => {
      if (isMargError(error)) return reply.code(error.status).send({ handledBy: "app", code: error.code });
      return reply.code(500).send({ handledBy: "app" });
    });
  }
  app.delete("/links/:id", { preHandler: guards.requirePermission("links.delete") }, async () => ({
    deleted: true,
  }));
  app.get("/links/:id", { preHandler: guards.requirePermission("links.delete") }, async () => "delete form");
  app.get("/admin", { preHandler: guards.requireRole("admin") }, async () => "admin home");
  const url = await app.listen({ port: 0, host: "127.0.0.1" });
  return { app, url };
}

describe("route guards over a real socket", () => {
  let env: RbacTestEnv;
  let rbac: RbacService;
  let rendered: { app: FastifyInstance; url: string };
  let thrown: { app: FastifyInstance; url: string };
  let member: number;
  let editor: number;
  let boss: number;

  beforeAll(async () => {
    env = await createRbacTestEnv(
      RBAC_DRIVERS[1] ?? { name: "sqlite", sql: "sqlite", cache: "database" },
      "rbac_guards",
    );
    rbac = env.newService();
    [member, editor, boss] = [
      await env.addUser("member@example.test"),
      await env.addUser("editor@example.test"),
      await env.addUser("boss@example.test"),
    ];
    await rbac.createPermission("links.delete");
    for (const role of ["member", "editor", "super-admin", "admin"]) await rbac.createRole(role);
    await rbac.grant("editor", "links.delete");
    await rbac.assign(member, "member");
    await rbac.assign(editor, "editor");
    await rbac.assign(boss, "super-admin");
    rendered = await startApp(rbac, "render");
    thrown = await startApp(rbac, "throw");
  });
  afterAll(async () => {
    await rendered.app.close();
    await thrown.app.close();
    await env.destroy();
  });

  const call = (
    base: string,
    path: string,
    init: { method?: string; headers: Record<string, string>; user?: number },
  ) =>
    fetch(base + path, {
      method: init.method ?? "GET",
      redirect: "manual",
      headers: { ...init.headers, ...(init.user === undefined ? {} : { "x-user": String(init.user) }) },
    });

  it("sends a browser without a session to sign in, coming back to the page afterwards", async () => {
    const response = await call(rendered.url, "/links/7?tab=danger", { headers: BROWSER });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("/login?next=%2Flinks%2F7%3Ftab%3Ddanger");
  });

  it("answers a JSON client without a session 401 E_AUTH_REQUIRED", async () => {
    const response = await call(rendered.url, "/links/7", { method: "DELETE", headers: API });
    expect(response.status).toBe(401);
    expect(await response.json()).toMatchObject({
      error: { code: "E_AUTH_REQUIRED", message: expect.any(String) },
    });
  });

  it("shows a signed-in browser without the permission a 403 page that names it", async () => {
    const response = await call(rendered.url, "/links/7", { headers: BROWSER, user: member });
    expect(response.status).toBe(403);
    expect(response.headers.get("content-type")).toContain("text/html");
    const page = await response.text();
    expect(page).toContain("<h1>Not allowed</h1>");
    expect(page).toContain("<code>links.delete</code>");
  });

  it("answers a JSON client without the permission 403 E_RBAC_FORBIDDEN naming it", async () => {
    const response = await call(rendered.url, "/links/7", { method: "DELETE", headers: API, user: member });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({
      error: {
        code: "E_RBAC_FORBIDDEN",
        permission: "links.delete",
        message: expect.stringContaining("links.delete"),
      },
    });
  });

  it("lets through a user with the permission, and the super-admin everywhere", async () => {
    const response = await call(rendered.url, "/links/7", { method: "DELETE", headers: API, user: editor });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ deleted: true });
    expect((await call(rendered.url, "/admin", { headers: BROWSER, user: boss })).status).toBe(200);
  });

  it("guards by role: 403 for a member, a page for the browser", async () => {
    const response = await call(rendered.url, "/admin", { headers: BROWSER, user: member });
    expect(response.status).toBe(403);
    expect(await response.text()).toContain("<code>admin</code>");
  });

  it("in throw mode hands denials to the app's error handler, but still redirects a browser to sign in", async () => {
    const forbidden = await call(thrown.url, "/links/7", { headers: API, user: member });
    expect(forbidden.status).toBe(403);
    expect(await forbidden.json()).toEqual({ handledBy: "app", code: "E_RBAC_FORBIDDEN" });
    const guest = await call(thrown.url, "/links/7", { headers: API });
    expect(await guest.json()).toEqual({ handledBy: "app", code: "E_AUTH_REQUIRED" });
    expect((await call(thrown.url, "/links/7", { headers: BROWSER })).status).toBe(302);
  });

  it("refuses a malformed permission or role when the route is declared", () => {
    const guards = createRbacGuards({ rbac, getUserId: () => undefined });
    expect(() => guards.requirePermission("links.*")).toThrow(/concrete permission/);
    expect(() => guards.requireRole("Admin")).toThrow(
      expect.objectContaining({ code: "E_RBAC_INVALID_NAME" }),
    );
  });
});
