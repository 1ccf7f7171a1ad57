import { spawnSync } from "node:child_process";
import { createTempDir } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormBrowser } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import { MARG_BIN, REPO_ROOT, type RunningProcess, startProcess } from "../support/spawn-process.js";

// `marg dev --no-seed` on a clean checkout: no demo accounts, so the banner says how to make
// the first one, and the account made that way (marg user:create) signs in on the running apps.
describe("marg dev --no-seed on a clean checkout", () => {
  const root = createTempDir("dev-no-seed");
  let port = 0;
  let server: RunningProcess;

  beforeAll(async () => {
    port = await freePort();
    server = startProcess("node", [MARG_BIN, "dev", "--no-seed"], {
      cwd: REPO_ROOT,
      env: { MARG_ROOT: root.path, PORT: String(port), LOG_LEVEL: "warn" },
    });
    await server.waitFor(/MARG is running/, 90_000);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    root.remove();
  });

  it("says there are no accounts and how to make the first, and lists no demo account", async () => {
    await server.waitFor(/No accounts yet/);
    await server.waitFor(/user:create you@example\.com --role super-admin/);
    expect(server.output()).not.toContain("ada@marg.localhost");
  });

  it("lets the account made with marg user:create sign in on flow and open admin", async () => {
    const made = spawnSync(
      "node",
      [MARG_BIN, "user:create", "first@example.com", "--role", "super-admin", "--json"],
      { cwd: REPO_ROOT, env: { ...process.env, MARG_ROOT: root.path }, encoding: "utf8", input: "" },
    );
    expect(made.status, made.stderr).toBe(0);
    const { password } = JSON.parse(made.stdout) as { password: string };
    const browser = new FormBrowser({ host: "flow.marg.localhost", port });
    const signedIn = await browser.submit("/login", "/login", { email: "first@example.com", password });
    expect(signedIn.status).toBe(303);
    const admin = await browser.at({ host: "admin.marg.localhost", port }).get("/users");
    expect(admin.status).toBe(200);
    expect(admin.body).toContain("first@example.com");
  }, 60_000);
});
