import type { AddressInfo } from "node:net";
import multipart from "@fastify/multipart";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAppKey } from "../config/app-key.js";
import { sessionPlugin } from "../session/session-plugin.js";
import { sessionTestConfig } from "../session/test-support/session-test-app.js";
import { type OpenedStore, openStoreDriver } from "../session/test-support/store-drivers.js";
import { createHttpApp } from "./create-http-app.js";
import { csrfGuard } from "./csrf-guard.js";
import { MULTIPART_CSRF_ROUTE } from "./multipart-csrf.js";

describe("CSRF on multipart uploads: a field before the file, never the URL", () => {
  let opened: OpenedStore;
  let app: FastifyInstance;
  let base = "";
  let cookie = "";
  let token = "";
  const received: string[] = [];

  beforeAll(async () => {
    opened = await openStoreDriver("database-sqlite", "multipart_csrf");
    const config = sessionTestConfig({ LOG_LEVEL: "silent", APP_KEY: generateAppKey() });
    app = createHttpApp(config);
    await app.register(sessionPlugin, { config, store: opened.store });
    await app.register(multipart);
    app.addHook("preHandler", csrfGuard);
    app.get("/form", async (request) => ({ token: await request.session.csrfToken() }));
    const upload = async (request: Parameters<typeof csrfGuard>[0]) => {
      const file = await request.file();
      received.push((await file?.toBuffer())?.toString() ?? "");
      return { stored: true };
    };
    app.post("/upload", { config: MULTIPART_CSRF_ROUTE }, upload);
    app.post("/upload-by-parts", { config: MULTIPART_CSRF_ROUTE }, async (request) => {
      for await (const part of request.parts()) received.push(part.fieldname);
      return { stored: true };
    });
    app.post("/not-an-upload-route", async () => ({ changed: true }));
    await app.listen({ host: "127.0.0.1", port: 0 });
    base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
    const form = await fetch(`${base}/form`);
    cookie = (form.headers.getSetCookie()[0] ?? "").split(";")[0] ?? "";
    token = ((await form.json()) as { token: string }).token;
  });
  afterAll(async () => {
    await app?.close();
    await opened?.close();
  });

  const send = (path: string, fields: [string, string][], headers: Record<string, string> = {}) => {
    const body = new FormData();
    for (const [name, value] of fields) {
      if (name === "file") body.append("file", new Blob([value], { type: "text/plain" }), "a.txt");
      else body.append(name, value);
    }
    return fetch(`${base}${path}`, {
      method: "POST",
      body,
      headers: { cookie, accept: "application/json", ...headers },
    });
  };

  it("hands the file to the handler when the _csrf field before it matches the session", async () => {
    const response = await send("/upload", [
      ["_csrf", token],
      ["file", "hello"],
    ]);
    expect(response.status).toBe(200);
    expect(received.at(-1)).toBe("hello");
  });

  it("refuses (403) a token in the URL, a forged field, or a field that comes after the file", async () => {
    const before = received.length;
    const cases = [
      send(`/upload?_csrf=${encodeURIComponent(token)}`, [["file", "url"]]),
      send("/upload", [
        ["_csrf", "forged"],
        ["file", "forged"],
      ]),
      // A field after a file is not read before the file is handed over (for a tiny
      // file the parser may get that far; the token is then checked all the same).
      send("/upload", [
        ["file", "late ".repeat(120_000)],
        ["_csrf", token],
      ]),
    ];
    for (const [index, response] of (await Promise.all(cases)).entries()) {
      expect(response.status, `case ${index}`).toBe(403);
      expect(await response.json()).toMatchObject({ error: { code: "E_SESSION_CSRF_INVALID" } });
    }
    expect(received.length).toBe(before);
  });

  it("accepts the X-CSRF-Token header instead, as API clients send it", async () => {
    const response = await send("/upload", [["file", "api"]], { "x-csrf-token": token });
    expect(response.status).toBe(200);
    expect(received.at(-1)).toBe("api");
  });

  it("lets no handler read the parts around the check, and no other route take multipart without the header", async () => {
    expect(
      (
        await send("/upload-by-parts", [
          ["_csrf", token],
          ["file", "x"],
        ])
      ).status,
    ).toBe(403);
    expect(
      (
        await send("/not-an-upload-route", [
          ["_csrf", token],
          ["file", "x"],
        ])
      ).status,
    ).toBe(403);
  });
});
