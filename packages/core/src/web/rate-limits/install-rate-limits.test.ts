import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AuthTestDatabase, openAuthTestDatabase } from "../../auth/auth-test-support.js";
import { DatabaseThrottleStore } from "../../auth/stores/database-throttle-store.js";
import type { ThrottleCounter, ThrottleStore } from "../../auth/types.js";
import { generateAppKey } from "../../config/app-key.js";
import { loadConfig } from "../../config/index.js";
import { MargError } from "../../errors/marg-error.js";
import { createTempDir } from "../../testing/index.js";
import { createHttpApp } from "../create-http-app.js";
import { installRateLimits } from "./install-rate-limits.js";

function config(env: Record<string, string>) {
  const dir = createTempDir("rate-limits");
  try {
    return loadConfig({
      root: dir.path,
      app: "flow",
      env: { APP_KEY: generateAppKey(), LOG_LEVEL: "silent", ...env },
    });
  } finally {
    dir.remove();
  }
}

/** A throttle store whose every call fails, as an unreachable Redis does. */
const DEAD_STORE: ThrottleStore = {
  hit: (): Promise<ThrottleCounter> =>
    Promise.reject(new MargError("E_AUTH_THROTTLE_STORE", "down", { status: 503 })),
  peek: () => Promise.resolve(null),
  release: () => Promise.resolve(),
  clear: () => Promise.resolve(),
};

describe("installRateLimits (over the SQLite throttle store)", () => {
  let database: AuthTestDatabase;
  let app: FastifyInstance;
  let base = "";
  const post = (path: string, body: Record<string, string>, accept = "application/json") =>
    fetch(`${base}${path}`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded", accept },
      body: new URLSearchParams(body),
    });

  beforeAll(async () => {
    database = await openAuthTestDatabase("sqlite", "rate_limits");
    const limits = config({
      RATE_LIMIT_FORGOT_PASSWORD_EMAIL: "2/15m",
      RATE_LIMIT_FORGOT_PASSWORD_IP: "4/15m",
      RATE_LIMIT_API_WRITES: "0/1m",
    }).rateLimits;
    app = createHttpApp(config({}));
    app.decorateRequest("user", null);
    await installRateLimits(app, { throttle: new DatabaseThrottleStore(database.db), limits });
    app.post("/forgot-password", async () => ({ sent: true }));
    app.post("/api/v1/things", async () => ({ ok: true }));
    app.get("/forgot-password", async () => "form");
    await app.listen({ host: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await app?.close();
    await database?.close();
  });

  it("counts each email address on its own, however it is spelled, and refuses over budget with 429 and Retry-After", async () => {
    expect((await post("/forgot-password", { email: "a@example.com" })).status).toBe(200);
    expect((await post("/forgot-password", { email: " A@Example.com" })).status).toBe(200);
    const third = await post("/forgot-password", { email: "a@example.com" });
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(800);
    expect(await third.json()).toMatchObject({
      error: {
        code: "E_HTTP_RATE_LIMITED",
        message: "Too many password-reset mails for this email address. Wait 15 minutes, then try again.",
      },
    });
  });

  it("counts the client address across email addresses too", async () => {
    expect((await post("/forgot-password", { email: "b@example.com" })).status).toBe(200);
    const over = await post("/forgot-password", { email: "c@example.com" }, "text/html");
    expect(over.status).toBe(429);
    expect(over.headers.get("content-type")).toMatch(/^text\/html/);
    expect(await over.text()).toContain("Too many password-reset requests from your address.");
  });

  it("leaves reads, unlisted routes and rules turned off (0/…) alone", async () => {
    expect((await fetch(`${base}/forgot-password`)).status).toBe(200);
    for (let i = 0; i < 5; i++) expect((await post("/api/v1/things", {})).status).toBe(200);
  });

  it("keeps no email address or IP in clear in the store", async () => {
    const keys = (await database.db.selectFrom("login_attempts").select("throttle_key").execute()).map(
      (row) => row.throttle_key,
    );
    expect(keys.length).toBeGreaterThan(0);
    expect(keys.join(" ")).not.toMatch(/example|127\.0/);
  });
});

describe("installRateLimits with its store down", () => {
  it("refuses with 503 E_HTTP_RATE_LIMIT_UNAVAILABLE rather than let requests through uncounted", async () => {
    const app = createHttpApp(config({}));
    app.decorateRequest("user", null);
    await installRateLimits(app, { throttle: DEAD_STORE, limits: config({}).rateLimits });
    app.post("/register", async () => ({ created: true }));
    const response = await app.inject({
      method: "POST",
      url: "/register",
      headers: { accept: "application/json" },
    });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({ error: { code: "E_HTTP_RATE_LIMIT_UNAVAILABLE" } });
    await app.close();
  });
});
