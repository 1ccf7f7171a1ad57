import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { DEMO_PASSWORD } from "@marg/core/auth";
import { createTempDir } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormBrowser } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import { hostRequest as get } from "../support/host-request.js";
import { switcherApps } from "../support/layout-links.js";
import {
  literally,
  MARG_BIN,
  REPO_ROOT,
  type RunningProcess,
  startProcess,
} from "../support/spawn-process.js";

describe("npm start (marg dev) on a clean checkout", () => {
  const root = createTempDir("npm-start");
  let port = 0;
  let server: RunningProcess;

  beforeAll(async () => {
    port = await freePort();
    // MARG_ROOT points the installation (its .env.shared and storage/) at an empty folder: a clean checkout.
    // `npm start` runs exactly this command (checked below); spawning node itself lets the test see its exit code.
    server = startProcess("node", [MARG_BIN, "dev"], {
      cwd: REPO_ROOT,
      env: { MARG_ROOT: root.path, PORT: String(port), LOG_LEVEL: "warn" },
    });
    await server.waitFor(/MARG is running/, 90_000);
  }, 120_000);

  afterAll(async () => {
    await server?.stop();
    root.remove();
  });

  it("is what `npm start` runs", () => {
    const scripts = JSON.parse(readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")).scripts;
    expect(scripts.start).toBe("node packages/cli/bin/marg.js dev");
  });

  it("creates .env.shared with a fresh 32-byte APP_KEY, readable by its owner only", () => {
    const file = path.join(root.path, ".env.shared");
    const key = /^APP_KEY=base64:(.+)$/m.exec(readFileSync(file, "utf8"))?.[1] ?? "";
    expect(Buffer.from(key, "base64")).toHaveLength(32);
    expect(statSync(file).mode & 0o777).toBe(0o600);
  });

  it("prints every app's address and the demo sign-in", async () => {
    // Each waits for its own line: the banner's lines may arrive after "MARG is running".
    for (const app of ["flow", "links", "admin", "id"])
      await server.waitFor(literally(`http://${app}.marg.localhost:${port}/`));
    await server.waitFor(/ada@marg\.localhost/);
  });

  it("answers on every host, each with its own app", async () => {
    for (const [host, title] of [
      ["flow.marg.localhost", "Flow"],
      ["links.marg.localhost", "Links"],
      ["admin.marg.localhost", "Admin"],
      ["id.marg.localhost", "ID"],
    ] as const) {
      const response = await get(port, host, "/login");
      expect(response.status, host).toBe(200);
      expect(response.body).toContain(`<title>Sign in · ${title} · MARG</title>`);
    }
  });

  it("serves the OpenID provider's discovery on the id host, with that host as issuer", async () => {
    const response = await get(port, "id.marg.localhost", "/.well-known/openid-configuration");
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body).issuer).toBe(`http://id.marg.localhost:${port}`);
  });

  it("shows Admin in every app's switcher only to those who may open it", async () => {
    const switcherFor = async (email: string, host: string) => {
      const browser = new FormBrowser({ host: "flow.marg.localhost", port });
      const signedIn = await browser.submit("/login", "/login", { email, password: DEMO_PASSWORD });
      expect(signedIn.status, email).toBe(303);
      return switcherApps((await browser.at({ host, port }).get("/account")).body);
    };
    for (const host of ["flow.marg.localhost", "links.marg.localhost"]) {
      expect(await switcherFor("linus@marg.localhost", host), host).toEqual(["Flow", "Links", "ID"]);
      expect(await switcherFor("grace@marg.localhost", host), host).toEqual(["Flow", "Links", "Admin", "ID"]);
    }
  });

  it("reports healthy on the embedded drivers, with redis not used", async () => {
    const response = await get(port, "flow.marg.localhost", "/health");
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      status: "healthy",
      database: "connected",
      redis: "not used",
    });
  });

  it("lists the apps for a host no app answers", async () => {
    const response = await get(port, "nope.marg.localhost", "/");
    expect(response.status).toBe(404);
    expect(response.body).toContain(`http://links.marg.localhost:${port}`);
  });

  it("stops cleanly on Ctrl-C (SIGINT/SIGTERM) with exit code 0", async () => {
    expect(await server.stop()).toBe(0);
  });
});
