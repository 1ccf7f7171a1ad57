import path from "node:path";
import {
  createScratchMysqlDatabase,
  type ScratchDatabase,
  startTcpProxy,
  type TcpProxy,
  TEST_MYSQL,
} from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfTokenIn, FormBrowser } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import { createMargInstallation, type MargInstallation } from "../support/marg-installation.js";
import { MARG_BIN, type RunningProcess, startProcess } from "../support/spawn-process.js";

// `marg serve flow` with every driver on the database (sessions, cache, queue) and
// its MySQL reached through a TCP forwarder this suite cuts before the server
// starts: the process must start anyway, say 503 on /health (HAProxy takes it out)
// and on pages, log one clear line instead of a stack, and come back by itself
// once the database answers again.

const HOST = "flow.marg.test";
let installation: MargInstallation;
let database: ScratchDatabase;
let proxy: TcpProxy;
let app: RunningProcess | undefined;
let port = 0;

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}:\n${app?.output().slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const health = () =>
  fetch(`http://127.0.0.1:${port}/health`, { headers: { host: HOST } }).then(async (response) => ({
    status: response.status,
    body: (await response.json()) as Record<string, unknown>,
  }));

describe("marg serve on the database drivers with its database unreachable", () => {
  beforeAll(async () => {
    port = await freePort();
    database = await createScratchMysqlDatabase("serve_db_down");
    proxy = await startTcpProxy(TEST_MYSQL);
    installation = createMargInstallation("serve-db-down");
    installation.writeSharedEnv({
      APP_KEY: `base64:${Buffer.alloc(32, 7).toString("base64")}`,
      APP_ENV: "testing",
      MARG_APPS: "flow",
      MARG_DOMAIN: "marg.test",
      SESSION_DOMAIN: ".marg.test",
      SESSION_DRIVER: "database",
      CACHE_STORE: "database",
      QUEUE_CONNECTION: "database",
      DB_CONNECTION: "mysql",
      DB_HOST: "127.0.0.1",
      DB_PORT: String(proxy.port),
      DB_USERNAME: TEST_MYSQL.user,
      ...(TEST_MYSQL.password === "" ? {} : { DB_PASSWORD: TEST_MYSQL.password }),
      DB_DATABASE: database.name,
      RBAC_DB_DATABASE: database.name,
      BUSINESS_DB_DATABASE: database.name,
      STORAGE_PATH: path.join(installation.root, "storage"),
      LOG_LEVEL: "info",
    });
    await installation.run(["migrate"]);
    await proxy.cut();
    app = startProcess("node", [MARG_BIN, "serve", "flow", "--port", String(port), "--host", "127.0.0.1"], {
      env: { MARG_ROOT: installation.root },
    });
    await app.waitFor(/Flow is serving/, 90_000);
  }, 180_000);

  afterAll(async () => {
    await app?.stop();
    await proxy?.restore().catch(() => {});
    await proxy?.cut();
    await database?.drop();
    installation?.remove();
  });

  it("starts and answers 503 on /health, naming the database as the part that is down", async () => {
    const { status, body } = await health();
    expect(status).toBe(503);
    expect(body).toMatchObject({ status: "unhealthy", database: "disconnected" });
  });

  it("logs one clear line about the unreachable database and no stack trace", () => {
    const output = app?.output() ?? "";
    const line = output.split("\n").find((text) => text.includes("queue database is unreachable"));
    expect(line).toContain("Cannot reach MySQL at 127.0.0.1");
    expect(output).not.toMatch(/^\s+at .*\(node:net/m);
    expect(output).not.toContain("Error: connect ECONNREFUSED");
  });

  it("recovers by itself when the database returns: /health answers 200 again", async () => {
    await proxy.restore();
    await eventually("/health to answer 200", async () => (await health()).status === 200);
    expect((await health()).body).toMatchObject({ status: "healthy", database: "connected" });
  });

  it("answers a form that needs the database with a clear 503 page while it is down, not a 403 or 500", async () => {
    const browser = new FormBrowser({ host: HOST, port });
    const form = await browser.get("/login");
    const csrf = csrfTokenIn(form.body, "/login");
    await proxy.cut();
    try {
      const page = await browser.post("/login", { _csrf: csrf ?? "", email: "ada@marg.test", password: "x" });
      expect(page.status).toBe(503);
      expect(page.body).toContain("cannot be reached right now");
      expect(page.body).not.toContain("ECONNREFUSED");
    } finally {
      await proxy.restore();
    }
  });
});
