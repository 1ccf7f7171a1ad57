import type { AddressInfo } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { currentRequestScope } from "../context/index.js";
import { REQUEST_ID_PATTERN } from "./request-id.js";
import { createCapturedApp, httpTestConfig } from "./test-support/http-test-kit.js";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

/** A listening app with a few probe routes; returns its base URL. */
async function start(env: Record<string, string> = {}): Promise<string> {
  return (await startCaptured(env)).base;
}

async function startCaptured(env: Record<string, string> = {}) {
  const { app, logs } = createCapturedApp(httpTestConfig(env));
  app.get("/hello", async () => "hello");
  app.get("/ip", async (request) => ({ ip: request.ip }));
  app.get("/scope", async (request) => {
    await sleep(5);
    return { scope: currentRequestScope()?.requestId, id: request.id };
  });
  app.post("/form", async (request) => request.body);
  apps.push(app);
  await app.listen({ host: "127.0.0.1", port: 0 });
  return { base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, logs };
}

describe("createHttpApp", () => {
  it("sends the seed's security headers and no X-Powered-By, on pages and on errors", async () => {
    const base = await start();
    for (const path of ["/hello", "/missing"]) {
      const response = await fetch(`${base}${path}`);
      expect(response.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      expect(response.headers.get("x-content-type-options")).toBe("nosniff");
      expect(response.headers.get("referrer-policy")).toBe("strict-origin-when-cross-origin");
      expect(response.headers.get("x-powered-by")).toBeNull();
    }
  });

  it("enters no request scope while nothing in the process reads one (no replicas)", async () => {
    const base = await start();
    const body = (await (await fetch(`${base}/scope`)).json()) as { scope?: string; id: string };
    expect(body.id).toMatch(/\S/);
    expect(body.scope).toBeUndefined();
  });

  it("gives each request a new id, echoed in X-Request-Id and seen by the handler's request scope", async () => {
    const base = await start({ DB_READ_HOSTS: "127.0.0.1:3307" });
    const [first, second] = await Promise.all([fetch(`${base}/scope`), fetch(`${base}/scope`)]);
    for (const response of [first, second]) {
      const body = (await response.json()) as { scope: string; id: string };
      expect(body.id).toMatch(UUID);
      expect(body.scope).toBe(body.id);
      expect(response.headers.get("x-request-id")).toBe(body.id);
    }
    expect(first?.headers.get("x-request-id")).not.toBe(second?.headers.get("x-request-id"));
  });

  it("keeps a trusted proxy's X-Request-Id when it looks safe, and replaces one that does not", async () => {
    const base = await start({ TRUSTED_PROXIES: "127.0.0.1" });
    const kept = await fetch(`${base}/hello`, { headers: { "x-request-id": "nginx-4f2a:17" } });
    expect(kept.headers.get("x-request-id")).toBe("nginx-4f2a:17");
    const unsafe = await fetch(`${base}/hello`, { headers: { "x-request-id": 'id with spaces"<>' } });
    expect(unsafe.headers.get("x-request-id")).toMatch(UUID);
    expect(REQUEST_ID_PATTERN.test("x".repeat(129))).toBe(false);
  });

  it("ignores X-Request-Id from a client that is not a trusted proxy", async () => {
    const base = await start({ TRUSTED_PROXIES: "10.9.9.9" });
    const response = await fetch(`${base}/hello`, { headers: { "x-request-id": "client-chosen-id" } });
    expect(response.headers.get("x-request-id")).toMatch(UUID);
  });

  it("believes X-Forwarded-For from a trusted proxy", async () => {
    const base = await start({ TRUSTED_PROXIES: "127.0.0.1" });
    const response = await fetch(`${base}/ip`, { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(await response.json()).toEqual({ ip: "203.0.113.7" });
  });

  it("ignores X-Forwarded-For from anyone else", async () => {
    const base = await start({ TRUSTED_PROXIES: "10.0.0.0/8" });
    const response = await fetch(`${base}/ip`, { headers: { "x-forwarded-for": "203.0.113.7" } });
    expect(await response.json()).toEqual({ ip: "127.0.0.1" });
  });

  it("parses form posts", async () => {
    const base = await start();
    const response = await fetch(`${base}/form`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "title=Plan&tags=a&tags=b",
    });
    expect(await response.json()).toEqual({ title: "Plan", tags: ["a", "b"] });
  });

  it("writes one access line per request, with the request and its outcome, at info", async () => {
    const { base, logs } = await startCaptured();
    const response = await fetch(`${base}/hello?page=2`, { headers: { "x-request-id": "ignored" } });
    await response.text();
    await fetch(`${base}/missing`).then((missing) => missing.text());
    const mine = (id: string | null) => logs.lines().filter((line) => line.reqId === id);
    const lines = mine(response.headers.get("x-request-id"));
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({
      level: 30,
      msg: "request completed",
      req: { method: "GET", url: "/hello?page=2", remoteAddress: "127.0.0.1" },
      res: { statusCode: 200 },
    });
    expect(typeof lines[0]?.responseTime).toBe("number");
    expect(logs.lines().filter((line) => line.msg === "incoming request")).toEqual([]);
    expect(logs.lines()).toContainEqual(
      expect.objectContaining({ msg: "request completed", res: { statusCode: 404 } }),
    );
  });

  it("gives a handler's own lines the request id, and writes no access line above info", async () => {
    const quiet = await startCaptured({ LOG_LEVEL: "warn" });
    const response = await fetch(`${quiet.base}/hello`);
    await response.text();
    expect(quiet.logs.lines().filter((line) => line.msg === "request completed")).toEqual([]);

    const { app, logs } = createCapturedApp(httpTestConfig({}));
    app.get("/noted", async (request) => {
      request.log.info({ step: 1 }, "handler line");
      request.log.child({ part: "inner" }).warn("inner line");
      return "noted";
    });
    apps.push(app);
    await app.listen({ host: "127.0.0.1", port: 0 });
    const noted = await fetch(`http://127.0.0.1:${(app.server.address() as AddressInfo).port}/noted`);
    await noted.text();
    const id = noted.headers.get("x-request-id");
    expect(logs.lines().filter((line) => line.reqId === id)).toEqual([
      expect.objectContaining({ level: 30, msg: "handler line", step: 1 }),
      expect.objectContaining({ level: 40, msg: "inner line", part: "inner" }),
      expect.objectContaining({ level: 30, msg: "request completed", res: { statusCode: 200 } }),
    ]);
  });

  it("logs each request's arrival too at debug, for requests that never finish", async () => {
    const { base, logs } = await startCaptured({ LOG_LEVEL: "debug" });
    const response = await fetch(`${base}/hello`);
    await response.text();
    const lines = logs.lines().filter((line) => line.reqId === response.headers.get("x-request-id"));
    expect(lines.map((line) => [line.level, line.msg])).toEqual([
      [20, "incoming request"],
      [30, "request completed"],
    ]);
  });
});

describe("createHttpApp's logs", () => {
  it("never write a token, CSRF token or password from a URL, in the access log or an error line", async () => {
    const { app, logs } = createCapturedApp(
      httpTestConfig({ LOG_LEVEL: "debug", LOG_REDACT_PARAMS: "code" }),
    );
    app.get("/reset-password", async () => "form");
    app.get("/boom", async () => {
      throw new Error("kaboom");
    });
    apps.push(app);
    await app.listen({ host: "127.0.0.1", port: 0 });
    const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    await fetch(`${base}/reset-password?token=live-reset-token-1`);
    await fetch(`${base}/boom?_csrf=live-csrf-2&password=live-pass-3&code=live-code-4`);
    await fetch(`${base}/missing?token=live-reset-token-5`);
    const text = logs.text();
    expect(text).not.toMatch(/live-/);
    expect(text).toContain('"url":"/reset-password?token=[redacted]"');
    expect(text).toContain("_csrf=[redacted]&password=[redacted]&code=[redacted]");
  });
});
