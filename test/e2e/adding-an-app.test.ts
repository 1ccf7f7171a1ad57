import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormBrowser } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import {
  literally,
  MARG_BIN,
  REPO_ROOT,
  type RunningProcess,
  startProcess,
} from "../support/spawn-process.js";

// The app of docs/adding-an-app.md, guarded by a seeded permission of another app (flow's tasks.view) so the test shows both the shared login and RBAC's app scope.
const FUTURE_APP = `import { defineApp } from "@marg/core/app";
import { html, requireAuth } from "@marg/core/web";

export const app = defineApp({
  id: "future",
  title: "Future",
  database: "future_db",
  nav: [{ href: "/", label: "Home" }],
  routes(server, { pages, guards }) {
    server.get("/", { preHandler: [requireAuth, guards.requirePermission("tasks.view")] }, async (request, reply) =>
      pages.page(request, reply, { title: "Home", body: html\`<h1>Hello, \${request.user?.name}</h1>\` }),
    );
  },
});
`;

describe("adding an app: one folder and one line of config", () => {
  const root = createTempDir("future-app");
  let port = 0;
  let server: RunningProcess;

  beforeAll(async () => {
    port = await freePort();
    mkdirSync(path.join(root.path, "apps", "future", "src"), { recursive: true });
    writeFileSync(path.join(root.path, "apps", "future", "src", "index.ts"), FUTURE_APP);
    writeFileSync(
      path.join(root.path, "apps", "future", "package.json"),
      JSON.stringify({
        name: "@marg/future",
        private: true,
        type: "module",
        exports: { ".": "./src/index.ts" },
      }),
    );
    // The scratch installation resolves @marg/core like a checkout does.
    symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(root.path, "node_modules"));
    writeFileSync(
      path.join(root.path, ".env.shared"),
      [
        `APP_KEY=base64:${Buffer.alloc(32, 9).toString("base64")}`,
        "MARG_APPS=flow,links,admin,future", // the one line
        "SESSION_DOMAIN=.marg.localhost",
        `PORT=${port}`,
        "LOG_LEVEL=warn",
        "",
      ].join("\n"),
    );
    server = startProcess("node", [MARG_BIN, "dev"], { env: { MARG_ROOT: root.path } });
    await server.waitFor(/MARG is running/, 120_000);
  }, 150_000);

  afterAll(async () => {
    await server?.stop();
    root.remove();
  });

  const site = (app: string) => ({ host: `${app}.marg.localhost`, port });

  it("is served on its own subdomain, with its own database", async () => {
    // "MARG is running" comes first; the addresses follow, maybe in a later chunk of output.
    await server.waitFor(literally(`http://future.marg.localhost:${port}/`));
    const guest = await new FormBrowser(site("future")).get("/");
    expect(guest.status).toBe(303);
    expect(guest.location).toBe("/login?next=%2F");
  });

  it("joins the shared login: signed in on flow is signed in on future, and RBAC applies", async () => {
    const ada = new FormBrowser(site("flow"));
    const signIn = await ada.submit("/login", "/login", {
      email: "ada@marg.localhost",
      password: "marg-demo-password",
    });
    expect(signIn.status).toBe(303);
    const home = await ada.at(site("future")).get("/");
    expect(home.status).toBe(200);
    expect(home.body).toContain("<h1>Hello, Ada Lovelace</h1>");

    // Grace (admin) holds tasks.* only as flow's permissions: scoped grants do not count in another
    // app, so the new app's guard refuses her until it is given permissions of its own.
    const grace = new FormBrowser(site("links"));
    await grace.submit("/login", "/login", { email: "grace@marg.localhost", password: "marg-demo-password" });
    const refused = await grace.at(site("future")).get("/", { headers: { accept: "application/json" } });
    expect(refused.status).toBe(403);
    expect(refused.body).toContain("E_RBAC_FORBIDDEN");
  });

  it("shows up in every other app's switcher", async () => {
    const page = await new FormBrowser(site("links")).get("/login");
    expect(page.body).toContain(`href="http://future.marg.localhost:${port}/"`);
  });
});
