import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { inspect } from "node:util";
import { describe, expect, it } from "vitest";
import { isMargError } from "../errors/index.js";
import { generateAppKey, SEED_EXAMPLE_APP_KEY } from "./app-key.js";
import { loadConfig } from "./load-config.js";

const SEED_FIXTURE = path.resolve(import.meta.dirname, "../../../../test/fixtures/seed.env.shared");

function scratchRoot(shared = "", apps: Record<string, string> = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), "marg-config-"));
  writeFileSync(path.join(root, ".env.shared"), shared);
  for (const [app, body] of Object.entries(apps)) {
    const dir = path.join(root, "apps", app);
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, ".env"), body);
  }
  return root;
}

function configError(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (isMargError(error) && error.code === "E_CONFIG_INVALID") return error.message;
    throw error;
  }
  throw new Error("expected E_CONFIG_INVALID");
}

describe("loadConfig", () => {
  it("gives each worker of a server its own /metrics port: WORKER_METRICS_PORT + WORKER_INDEX, none by default", () => {
    const key = `APP_KEY=${generateAppKey()}\n`;
    const load = (env: Record<string, string>) => loadConfig({ app: "flow", root: scratchRoot(key), env });
    expect(load({}).metrics.worker).toEqual({ host: "127.0.0.1", port: 0 });
    expect(load({ WORKER_METRICS_PORT: "9464", WORKER_INDEX: "2" }).metrics.worker.port).toBe(9466);
    expect(load({ WORKER_INDEX: "2" }).metrics.worker.port).toBe(0);
    const message = configError(() => load({ WORKER_METRICS_PORT: "65535", WORKER_INDEX: "1" }));
    expect(message).toContain("WORKER_INDEX");
    expect(message).toContain("lower WORKER_METRICS_PORT");
  });

  it("loads the seed's .env.shared unchanged", () => {
    const config = loadConfig({ root: scratchRoot(), sharedFile: SEED_FIXTURE, env: {}, app: "flow" });
    expect(config.session).toMatchObject({
      driver: "redis",
      lifetimeMinutes: 10080,
      encrypt: true,
      path: "/",
      domain: ".marg.test",
      cookie: "marg_session",
    });
    expect(config.redis).toMatchObject({ host: "127.0.0.1", port: 6379, db: 0, prefix: "marg_database_" });
    expect(config.redis.password?.reveal()).toBe("your_secure_redis_password");
    expect(config.cache).toMatchObject({ store: "redis", prefix: "marg" });
    expect(config.db.connections.rbac).toMatchObject({
      driver: "mysql",
      database: "marg-rbac",
      host: "127.0.0.1",
      user: "marg_user",
    });
    expect(config.rbac).toEqual({ cacheEnabled: true, cacheTtlSeconds: 3600 });
    expect(config.queue.connection).toBe("redis");
    expect(config.app.url).toBe("http://flow.marg.test");
    expect(config.app.usesExampleKey).toBe(true);
  });

  it("says which of the seed's variables it does not use, instead of accepting them silently", () => {
    const config = loadConfig({ root: scratchRoot(), sharedFile: SEED_FIXTURE, env: {}, app: "flow" });
    expect(config.warnings).toEqual([
      expect.stringMatching(
        /^RBAC_DB_CONNECTION is no longer used \(set in .*seed\.env\.shared\): .*RBAC_DB_HOST.*\. Remove it\.$/,
      ),
      expect.stringMatching(
        /^RBAC_SESSION_DRIVER is no longer used \(set in .*\): .*SESSION_DRIVER.*\. Remove it\.$/,
      ),
      expect.stringMatching(
        /^RBAC_SESSION_CONNECTION is no longer used \(set in .*\): .*SESSION_DRIVER.*\. Remove it\.$/,
      ),
    ]);
    const key = `APP_KEY=${generateAppKey()}\n`;
    expect(loadConfig({ root: scratchRoot(key), env: {}, app: "flow" }).warnings).toEqual([]);
    const fromEnv = loadConfig({
      root: scratchRoot(key),
      env: { RBAC_SESSION_DRIVER: "redis" },
      app: "flow",
    });
    expect(fromEnv.warnings).toEqual([
      expect.stringContaining("RBAC_SESSION_DRIVER is no longer used (set in the environment)"),
    ]);
  });

  it("layers defaults, .env.shared, the app's .env and the environment, later wins", () => {
    const root = scratchRoot(`APP_KEY=${generateAppKey()}\nSESSION_LIFETIME=30\nREDIS_DB=1\nLOG_LEVEL=warn`, {
      flow: "SESSION_LIFETIME=45\nDB_DATABASE=klueportal\nREDIS_DB=2",
    });
    const config = loadConfig({ root, app: "flow", env: { REDIS_DB: "3", UNRELATED: "x" } });
    expect(config.session.lifetimeMinutes).toBe(45);
    expect(config.redis.db).toBe(3);
    expect(config.log.level).toBe("warn");
    expect(config.db.connections.app.database).toBe("klueportal");
    expect(config.session.cookie).toBe("marg_session");
  });

  it("reports every bad value in one message naming the variable, its source and the fix", () => {
    const root = scratchRoot("REDIS_PORT=99999\nSESSION_ENCRYPT=maybe\nAPP_KEY=", {
      flow: "DB_CONNECTION=oracle",
    });
    const message = configError(() => loadConfig({ root, app: "flow", env: { PORT: "http" } }));
    expect(message).toContain("MARG cannot start flow: 4 configuration problems");
    expect(message).toMatch(/REDIS_PORT \(from \.env\.shared\) expected a number from 1 to 65535, got 99999/);
    expect(message).toMatch(/SESSION_ENCRYPT .*expected true or false, got "maybe"/);
    expect(message).toMatch(
      /DB_CONNECTION \(from apps\/flow\/\.env\) expected one of sqlite, mysql, mariadb/,
    );
    expect(message).toMatch(/PORT \(from the environment\) expected a whole number/);
  });

  it("reads rate limits as <count>/<duration>, with sane defaults, and refuses anything else by name", () => {
    const defaults = loadConfig({ root: scratchRoot(`APP_KEY=${generateAppKey()}`), app: "flow" });
    expect(defaults.rateLimits.forgotPasswordEmail).toEqual({ max: 3, windowMs: 15 * 60_000 });
    expect(defaults.rateLimits.login).toMatchObject({
      freeFailures: 5,
      backoffBaseMs: 30_000,
      backoffMaxMs: 900_000,
    });
    expect(defaults.log.redactParams).toEqual([]);
    const set = loadConfig({
      root: scratchRoot(
        `APP_KEY=${generateAppKey()}\nRATE_LIMIT_API_WRITES=50/10s\nRATE_LIMIT_REGISTER_IP=0/1h`,
      ),
      app: "flow",
      env: { LOG_REDACT_PARAMS: "code, state" },
    });
    expect(set.rateLimits.apiWrites).toEqual({ max: 50, windowMs: 10_000 });
    expect(set.rateLimits.registerIp.max).toBe(0);
    expect(set.log.redactParams).toEqual(["code", "state"]);
    const message = configError(() =>
      loadConfig({
        root: scratchRoot(`APP_KEY=${generateAppKey()}`),
        app: "flow",
        env: { RATE_LIMIT_FORGOT_PASSWORD_IP: "ten per minute", RATE_LIMIT_API_WRITES: "5/0m" },
      }),
    );
    expect(message).toMatch(/RATE_LIMIT_FORGOT_PASSWORD_IP .*expected <count>\/<duration> like 5\/15m/);
    expect(message).toMatch(/RATE_LIMIT_API_WRITES .*expected <count>\/<duration>/);
  });

  it("asks for a key when APP_KEY is missing", () => {
    const message = configError(() => loadConfig({ root: scratchRoot(), env: {} }));
    expect(message).toContain("APP_KEY is missing. Fix: run `marg key:generate`");
  });

  it("refuses the seed's example key in production, and accepts it with a flag elsewhere", () => {
    const root = scratchRoot(`APP_KEY=${SEED_EXAMPLE_APP_KEY}`);
    expect(loadConfig({ root, env: {} }).app.usesExampleKey).toBe(true);
    const message = configError(() => loadConfig({ root, env: { APP_ENV: "production" } }));
    expect(message).toContain("APP_KEY");
    expect(message).toContain("example key printed in the seed guide");
  });

  it("refuses in production a key that is not 32 bytes", () => {
    const short = `base64:${Buffer.alloc(24, 7).toString("base64")}`;
    const root = scratchRoot(`APP_KEY=${short}\nAPP_ENV=production`);
    expect(configError(() => loadConfig({ root, env: {} }))).toContain(
      "must be base64: + 32 bytes in production, got 24 bytes",
    );
    const notBase64 = scratchRoot("APP_KEY=base64:!!!not-base64\nAPP_ENV=production");
    expect(configError(() => loadConfig({ root: notBase64, env: {} }))).toContain("not valid base64");
  });

  it("refuses a SESSION_DOMAIN that does not cover APP_URL", () => {
    const root = scratchRoot(
      `APP_KEY=${generateAppKey()}\nSESSION_DOMAIN=.marg.test\nAPP_URL=https://flow.example.com`,
    );
    expect(configError(() => loadConfig({ root, env: {} }))).toContain(
      "does not cover APP_URL's host flow.example.com",
    );
  });

  it("marks cookies Secure when APP_URL is https", () => {
    const root = scratchRoot(
      `APP_KEY=${generateAppKey()}\nAPP_URL=https://flow.marg.test\nSESSION_DOMAIN=.marg.test`,
    );
    expect(loadConfig({ root, env: {} }).session.secure).toBe(true);
  });

  it("never prints secrets, and freezes the result", () => {
    const key = generateAppKey();
    const root = scratchRoot(`APP_KEY=${key}\nREDIS_PASSWORD=hunter2\nDB_PASSWORD=swordfish`);
    const config = loadConfig({ root, env: {} });
    const printed = `${inspect(config, { depth: 10 })}${JSON.stringify(config)}`;
    expect(printed).not.toContain("hunter2");
    expect(printed).not.toContain("swordfish");
    expect(printed).not.toContain(key.slice(7, 20));
    expect(Object.isFrozen(config.session)).toBe(true);
  });

  it("sends RBAC to its own host when RBAC_DB_HOST differs, falling back to DB_* otherwise", () => {
    const root = scratchRoot(
      `APP_KEY=${generateAppKey()}\nDB_CONNECTION=mysql\nDB_HOST=10.0.0.5\nDB_READ_HOSTS=10.0.0.6,10.0.0.7:3307\nRBAC_DB_HOST=10.0.0.9`,
    );
    const { connections } = loadConfig({ root, env: {} }).db;
    expect(connections.app.readHosts).toEqual([
      { host: "10.0.0.6", port: 3306 },
      { host: "10.0.0.7", port: 3307 },
    ]);
    expect(connections.rbac).toMatchObject({ host: "10.0.0.9", readHosts: [] });
    expect(connections.business).toMatchObject({ host: "10.0.0.5", database: "klue_portal_business" });
  });
});
