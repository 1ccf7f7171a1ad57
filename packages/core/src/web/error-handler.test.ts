import type { AddressInfo } from "node:net";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { MargError } from "../errors/index.js";
import type { LogCapture } from "../logging/index.js";
import { createCapturedApp, httpTestConfig, rawRequest } from "./test-support/http-test-kit.js";
import type { RenderErrorPage } from "./types.js";

const apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.splice(0).map((app) => app.close()));
});

const HTML = { accept: "text/html,application/xhtml+xml,*/*;q=0.8" };
const JSON_ACCEPT = { accept: "application/json" };

async function start(env: Record<string, string> = {}, renderErrorPage?: RenderErrorPage) {
  const { app, logs } = createCapturedApp(
    httpTestConfig({ BODY_LIMIT: "1024", ...env }),
    renderErrorPage ? { renderErrorPage } : {},
  );
  app.post("/echo", async (request) => request.body);
  app.post(
    "/signup",
    { schema: { body: { type: "object", required: ["email"], properties: { email: { type: "string" } } } } },
    async () => "ok",
  );
  app.get("/boom", async () => {
    throw new Error("connect ECONNREFUSED db-7.internal with password hunter2");
  });
  app.get("/conflict", async () => {
    throw new MargError(
      "E_TEST_CONFLICT",
      "Someone else changed this task; reload it and apply your change again.",
      {
        status: 409,
      },
    );
  });
  app.get("/db-down", async () => {
    throw new MargError(
      "E_DB_UNAVAILABLE",
      "Cannot reach MySQL at 10.0.0.5:3306 (database `shop`): fix DB_HOST.",
      {
        status: 503,
      },
    );
  });
  app.get("/hostile", async () => {
    throw new MargError("E_TEST_HOSTILE", `<script>alert("x")</script> & more`, {
      status: 400,
      details: { fields: { "<b>name</b>": "is <i>bad</i>" } },
    });
  });
  apps.push(app);
  await app.listen({ host: "127.0.0.1", port: 0 });
  return { base: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`, logs, app };
}

type ErrorBody = {
  error: { code: string; message: string; requestId: string; fields?: Record<string, string> };
};

async function jsonError(response: Response): Promise<ErrorBody["error"]> {
  expect(response.headers.get("content-type")).toMatch(/^application\/json/);
  const body = (await response.json()) as ErrorBody;
  expect(body.error.requestId).toBe(response.headers.get("x-request-id"));
  return body.error;
}

describe("HTTP error handling", () => {
  it("answers a body over BODY_LIMIT with 413 E_HTTP_PAYLOAD_TOO_LARGE", async () => {
    const { base } = await start();
    const response = await fetch(`${base}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json", ...JSON_ACCEPT },
      body: JSON.stringify({ text: "x".repeat(4000) }),
    });
    expect(response.status).toBe(413);
    expect((await jsonError(response)).code).toBe("E_HTTP_PAYLOAD_TOO_LARGE");
  });

  it("answers malformed JSON with 400 E_HTTP_BAD_REQUEST", async () => {
    const { base } = await start();
    const response = await fetch(`${base}/echo`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: '{"title": "unterminated',
    });
    expect(response.status).toBe(400);
    expect(await jsonError(response)).toMatchObject({
      code: "E_HTTP_BAD_REQUEST",
      message: /not valid JSON/,
    });
  });

  it("answers an unsupported content type with 415 E_HTTP_UNSUPPORTED_MEDIA", async () => {
    const { base } = await start();
    const response = await fetch(`${base}/echo`, {
      method: "POST",
      headers: { "content-type": "text/csv", ...JSON_ACCEPT },
      body: "a,b",
    });
    expect(response.status).toBe(415);
    expect((await jsonError(response)).code).toBe("E_HTTP_UNSUPPORTED_MEDIA");
  });

  it("answers a schema failure with 422 E_VALIDATION naming each field", async () => {
    const { base } = await start();
    const response = await fetch(`${base}/signup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: "{}",
    });
    expect(response.status).toBe(422);
    expect(await jsonError(response)).toMatchObject({
      code: "E_VALIDATION",
      fields: { email: "is required" },
    });
  });

  it("answers an unknown route with a 404 HTML page for browsers", async () => {
    const { base } = await start();
    const response = await fetch(`${base}/no/such/page`, { headers: HTML });
    expect(response.status).toBe(404);
    expect(response.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const html = await response.text();
    expect(html).toContain("Page not found");
    expect(html).toContain("E_HTTP_NOT_FOUND");
    expect(html).toContain(response.headers.get("x-request-id"));
  });

  it("answers an unknown route with 404 JSON for API clients and anything under /api/", async () => {
    const { base } = await start();
    for (const [path, headers] of [
      ["/no/such/thing", JSON_ACCEPT],
      ["/api/nothing", HTML],
    ] as const) {
      const response = await fetch(`${base}${path}`, { headers });
      expect(response.status).toBe(404);
      expect((await jsonError(response)).code).toBe("E_HTTP_NOT_FOUND");
    }
  });

  it("keeps a MargError's status, code and message", async () => {
    const { base } = await start();
    const response = await fetch(`${base}/conflict`, { headers: JSON_ACCEPT });
    expect(response.status).toBe(409);
    expect(await jsonError(response)).toMatchObject({ code: "E_TEST_CONFLICT", message: /reload it/ });
  });

  it("escapes everything it puts on the HTML page", async () => {
    const { base } = await start();
    const response = await fetch(`${base}/hostile`, { headers: HTML });
    const html = await response.text();
    expect(html).not.toMatch(/<script>|<b>|<i>/);
    expect(html).toContain("&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more");
    expect(html).toContain("&lt;b&gt;name&lt;/b&gt;");
  });

  describe("an unexpected error in production", () => {
    it("shows a 500 page with the request id and no message or stack", async () => {
      const { base, logs } = await start({ APP_ENV: "production", APP_DEBUG: "true" });
      for (const headers of [HTML, JSON_ACCEPT]) {
        const response = await fetch(`${base}/boom`, { headers });
        expect(response.status).toBe(500);
        const requestId = response.headers.get("x-request-id") ?? "missing";
        const body = await response.text();
        expect(body).toContain(requestId);
        expect(body).toContain("E_HTTP_INTERNAL");
        expect(body).not.toMatch(/hunter2|ECONNREFUSED|\bat .*\.ts:\d+|Error:/);
        expectErrorLogged(logs, requestId);
      }
    });
  });

  it("keeps a 503's infrastructure details off the page in production and staging, for the log", async () => {
    for (const APP_ENV of ["production", "staging"]) {
      const { base, logs } = await start({ APP_ENV });
      const response = await fetch(`${base}/db-down`, { headers: JSON_ACCEPT });
      expect(response.status).toBe(503);
      const error = await jsonError(response);
      expect(error.message, APP_ENV).toBe(
        "The service is unavailable right now. Try again in a few minutes; if it keeps happening, report the request id below.",
      );
      const line = logs.lines().find((entry) => entry.level === 50 && entry.reqId === error.requestId);
      expect(line?.err).toMatchObject({ message: expect.stringContaining("10.0.0.5:3306") });
    }
  });

  it("shows a 503's own message to the developer in local development", async () => {
    const { base } = await start({ APP_ENV: "local" });
    const error = await jsonError(await fetch(`${base}/db-down`, { headers: JSON_ACCEPT }));
    expect(error.message).toContain("Cannot reach MySQL at 10.0.0.5:3306");
  });

  it("shows the real message and stack of a 500 in local debug mode", async () => {
    const { base } = await start({ APP_ENV: "local", APP_DEBUG: "true" });
    const html = await (await fetch(`${base}/boom`, { headers: HTML })).text();
    expect(html).toContain("ECONNREFUSED");
    expect(html).toMatch(/error-handler\.test\.ts:\d+/);
  });

  it("renders HTML errors with a replacement renderErrorPage", async () => {
    const { base } = await start({}, (ctx) => `<p>custom ${ctx.status} ${ctx.code}</p>`);
    const response = await fetch(`${base}/nowhere`, { headers: HTML });
    expect(await response.text()).toBe("<p>custom 404 E_HTTP_NOT_FOUND</p>");
  });

  it("answers a malformed URL with 400, through the same handler", async () => {
    const { base } = await start();
    const response = await rawRequest(Number(new URL(base).port), { path: "/%zz", headers: JSON_ACCEPT });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: "E_HTTP_BAD_REQUEST" } });
    expect(response.headers["x-content-type-options"]).toBe("nosniff");
  });
});

function expectErrorLogged(logs: LogCapture, requestId: string): void {
  const line = logs.lines().find((l) => l.level === 50 && l.reqId === requestId);
  expect(line).toBeDefined();
  expect(line?.err).toMatchObject({
    message: expect.stringContaining("ECONNREFUSED"),
    stack: expect.any(String),
  });
}
