import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAppDirectoryFallback } from "./app-directory-page.js";
import { createHostRouter, hostnameOf } from "./host-router.js";
import { createCapturedApp, httpTestConfig, rawRequest } from "./test-support/http-test-kit.js";

describe("hostnameOf", () => {
  it.each([
    ["flow.marg.localhost:8000", "flow.marg.localhost"],
    ["Links.MARG.localhost", "links.marg.localhost"],
    ["flow.marg.test.", "flow.marg.test"],
    ["[::1]:8000", "[::1]"],
    [undefined, ""],
  ])("reads %s as %s", (header, expected) => {
    expect(hostnameOf(header)).toBe(expected);
  });
});

describe("createHostRouter", () => {
  const flow = createCapturedApp(httpTestConfig({}, "flow")).app;
  const links = createCapturedApp(httpTestConfig({}, "links")).app;
  let router: Server;
  let port: number;

  beforeAll(async () => {
    for (const [app, name] of [
      [flow, "flow"],
      [links, "links"],
    ] as const) {
      app.get("/", async (request) => ({ app: name, host: request.hostname }));
    }
    router = await createHostRouter({
      apps: { "flow.marg.localhost": flow, "Links.marg.localhost": links },
      fallback: createAppDirectoryFallback([
        { name: "flow", url: "http://flow.marg.localhost:8000" },
        { name: "links", url: "http://links.marg.localhost:8000" },
      ]),
    });
    router.listen(0, "127.0.0.1");
    await new Promise((resolve) => router.once("listening", resolve));
    port = (router.address() as AddressInfo).port;
  });
  afterAll(async () => {
    await new Promise((resolve) => router.close(resolve));
    await Promise.all([flow.close(), links.close()]);
  });

  it("sends each host to its own app, whatever the port and letter case", async () => {
    const toFlow = await rawRequest(port, { headers: { host: "flow.marg.localhost:8000" } });
    const toLinks = await rawRequest(port, { headers: { host: "LINKS.marg.localhost:8000" } });
    expect(JSON.parse(toFlow.body)).toMatchObject({ app: "flow" });
    expect(JSON.parse(toLinks.body)).toMatchObject({ app: "links" });
  });

  it("keeps each app's own hooks and error pages", async () => {
    const response = await rawRequest(port, {
      path: "/missing",
      headers: { host: "links.marg.localhost", accept: "application/json" },
    });
    expect(response.status).toBe(404);
    expect(response.headers["x-request-id"]).toBeDefined();
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: "E_HTTP_NOT_FOUND" } });
  });

  it("sends unknown hosts to the fallback, which lists the apps", async () => {
    for (const host of ["admin.marg.localhost:8000", "localhost:8000"]) {
      const response = await rawRequest(port, { headers: { host } });
      expect(response.status).toBe(404);
      expect(response.headers["content-type"]).toBe("text/html; charset=utf-8");
      expect(response.body).toContain('href="http://flow.marg.localhost:8000"');
      expect(response.body).toContain('href="http://links.marg.localhost:8000"');
      expect(response.headers["x-frame-options"]).toBe("SAMEORIGIN");
    }
  });
});
