import { writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_PASSWORD } from "@marg/core/auth";
import {
  createScratchMysqlDatabase,
  createScratchRedisPrefix,
  createTempDir,
  type ScratchDatabase,
  startTcpProxy,
  type TcpProxy,
  TEST_MYSQL,
  TEST_REDIS,
} from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormBrowser } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import { literally, MARG_BIN, type RunningProcess, startProcess } from "../support/spawn-process.js";
import { waitForPort } from "../support/wait-for-port.js";

// A production `marg serve flow` whose MySQL goes away (a TCP forwarder this suite cuts):
// the people using it see that the service is unavailable and a request id; where MySQL
// is, which database and which variable to fix go only to the log, under that id.

const temp = createTempDir("unavailable-page");
const redisPrefix = createScratchRedisPrefix("unavailable");
let database: ScratchDatabase;
let mysqlProxy: TcpProxy;
let port = 0;
let app: RunningProcess;
let ada: FormBrowser;

function margRun(args: readonly string[]): Promise<void> {
  const run = startProcess("node", [MARG_BIN, ...args], { env: { MARG_ROOT: temp.path } });
  return new Promise((resolve, reject) =>
    run.child.once("exit", (code) => (code === 0 ? resolve() : reject(new Error(run.output())))),
  );
}

beforeAll(async () => {
  port = await freePort();
  ada = new FormBrowser({ host: "flow.marg.test", port });
  database = await createScratchMysqlDatabase("unavailable");
  mysqlProxy = await startTcpProxy(TEST_MYSQL);
  const env: Record<string, string> = {
    APP_KEY: `base64:${Buffer.alloc(32, 7).toString("base64")}`,
    APP_ENV: "testing",
    MARG_APPS: "flow",
    APP_URL: "http://flow.marg.test",
    SESSION_DOMAIN: ".marg.test",
    // The seed's setup: sessions in Redis (so the signed-in user stays signed in), data in MySQL.
    SESSION_DRIVER: "redis",
    CACHE_STORE: "database",
    QUEUE_CONNECTION: "database",
    REDIS_HOST: TEST_REDIS.host,
    REDIS_PORT: String(TEST_REDIS.port),
    REDIS_PREFIX: redisPrefix.prefix,
    DB_CONNECTION: "mysql",
    DB_HOST: "127.0.0.1",
    DB_PORT: String(mysqlProxy.port),
    DB_USERNAME: TEST_MYSQL.user,
    ...(TEST_MYSQL.password === "" ? {} : { DB_PASSWORD: TEST_MYSQL.password }),
    DB_DATABASE: database.name,
    RBAC_DB_DATABASE: database.name,
    BUSINESS_DB_DATABASE: database.name,
    STORAGE_PATH: path.join(temp.path, "storage"),
    LOG_LEVEL: "info",
  };
  const writeEnv = () =>
    writeFileSync(
      path.join(temp.path, ".env.shared"),
      `${Object.entries(env)
        .map(([key, value]) => `${key}=${value}`)
        .join("\n")}\n`,
      { mode: 0o600 },
    );
  // The demo accounts are never seeded in production: seed them first, then go live.
  writeEnv();
  await margRun(["migrate"]);
  await margRun(["db:seed"]);
  env.APP_ENV = "production";
  writeEnv();
  app = startProcess("node", [MARG_BIN, "serve", "flow", "--port", String(port), "--host", "127.0.0.1"], {
    env: { MARG_ROOT: temp.path },
  });
  await waitForPort(port, app, 90_000);
  const signIn = await ada.submit("/login", "/login", {
    email: "ada@marg.localhost",
    password: DEMO_PASSWORD,
  });
  expect(signIn.status).toBe(303);
  await mysqlProxy.cut();
}, 150_000);

afterAll(async () => {
  await app?.stop();
  await mysqlProxy?.cut();
  await database?.drop();
  await redisPrefix.clear();
  temp.remove();
});

describe("the 503 page in production when MySQL is gone", () => {
  it("says the service is unavailable and gives the request id, nothing about the infrastructure", async () => {
    const response = await ada.get("/tasks");
    expect(response.status).toBe(503);
    const requestId = String(response.headers["x-request-id"] ?? "");
    expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(response.body).toContain("Service unavailable");
    expect(response.body).toContain(`Request id: <code>${requestId}</code>`);
    for (const detail of ["MySQL", "MariaDB", "127.0.0.1", String(mysqlProxy.port), database.name, "DB_HOST"])
      expect(response.body, detail).not.toContain(detail);
  });

  it("answers an API client the same way: a code, a plain message and the request id", async () => {
    const response = await ada.get("/tasks", { headers: { accept: "application/json" } });
    expect(response.status).toBe(503);
    const { error } = JSON.parse(response.body) as { error: { message: string; requestId: string } };
    expect(error.requestId).toBe(response.headers["x-request-id"]);
    for (const detail of ["MySQL", "127.0.0.1", String(mysqlProxy.port), database.name])
      expect(error.message, detail).not.toContain(detail);
  });

  it("puts the details in the log, where the request id finds them", async () => {
    const response = await ada.get("/tasks");
    const requestId = String(response.headers["x-request-id"]);
    await app.waitFor(literally(requestId));
    const line = app
      .output()
      .split("\n")
      .find((entry) => entry.includes(requestId) && entry.includes("Cannot reach"));
    expect(line).toBeDefined();
    expect(line).toContain(`127.0.0.1:${mysqlProxy.port}`);
  });
});
