import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LinksTestApp, startLinksTestApp } from "../test-support/links-test-app.js";

describe("the public redirect GET /{slug}", () => {
  let app: LinksTestApp;

  beforeAll(async () => {
    app = await startLinksTestApp({ label: "links_redirect" });
    const owner = { userId: app.userIds.member, seesAll: false };
    await app.runtime.service.create(owner, { targetUrl: "https://example.com/a?x=1", slug: "go-here" });
    await app.runtime.service.create(owner, {
      targetUrl: "https://example.com/off",
      slug: "off-link",
      enabled: false,
    });
  });

  afterAll(async () => {
    await app?.close();
  });

  it("answers 302 to the target without sign-in, uncached by the browser", async () => {
    const response = await app.browser().get("/go-here");
    expect(response.status).toBe(302);
    expect(response.location).toBe("https://example.com/a?x=1");
    expect(response.headers["cache-control"]).toBe("private, no-store");
  });

  it("never sets a cookie, with or without one sent", async () => {
    expect((await app.browser().get("/go-here")).headers["set-cookie"]).toBeUndefined();
    const member = await app.signIn("member");
    const response = await member.get("/go-here");
    expect(response.status).toBe(302);
    expect(response.headers["set-cookie"]).toBeUndefined();
  });

  it("does not read the session of a signed-in visitor", async () => {
    const member = await app.signIn("member");
    const reads: string[] = [];
    const original = app.platform.sessions.read.bind(app.platform.sessions);
    app.platform.sessions.read = async (key: string) => {
      reads.push(key);
      return original(key);
    };
    try {
      await member.get("/go-here");
      expect(reads).toEqual([]);
      await member.get("/links");
      expect(reads.length).toBeGreaterThan(0);
    } finally {
      app.platform.sessions.read = original;
    }
  });

  it("answers an unknown slug with a friendly 404 page in the shared look", async () => {
    const response = await app.browser().get("/nothing-here");
    expect(response.status).toBe(404);
    expect(response.body).toContain('class="topbar"');
    expect(response.body).toContain("does not exist or has been switched off");
    expect(response.body).toContain("Go to the start page");
  });

  it("answers a disabled link exactly like an unknown one", async () => {
    const response = await app.browser().get("/off-link");
    expect(response.status).toBe(404);
    expect(response.body).toContain("does not exist or has been switched off");
  });

  it("refuses a stored link whose target is a private address (made before such targets were refused)", async () => {
    const write = {
      targetUrl: "http://169.254.169.254/latest/meta-data/",
      title: "",
      tags: [],
      enabled: true,
    };
    await app.runtime.links.insert(app.userIds.member, { ...write, slug: "old-metadata" }, Date.now());
    await app.runtime.links.insert(
      app.userIds.member,
      { ...write, slug: "old-loopback", targetUrl: "http://[::ffff:7f00:1]:8080/" },
      Date.now(),
    );
    for (const slug of ["old-metadata", "old-loopback"]) {
      const response = await app.browser().get(`/${slug}`, { headers: { accept: "application/json" } });
      expect(response.status, slug).toBe(403);
      expect(response.location).toBeUndefined();
      expect(JSON.parse(response.body)).toMatchObject({ error: { code: "E_LINK_TARGET_PRIVATE" } });
    }
  });

  it("answers JSON clients with the error as JSON", async () => {
    const response = await app.browser().get("/nothing-here", { headers: { accept: "application/json" } });
    expect(response.status).toBe(404);
    expect(JSON.parse(response.body)).toMatchObject({ error: { code: "E_LINK_NOT_FOUND" } });
  });

  it("answers 404 for paths no slug can have, without a lookup", async () => {
    for (const path of ["/a.b", "/x", "/%3Cscript%3E", `/${"a".repeat(65)}`]) {
      expect((await app.browser().get(path)).status, path).toBe(404);
    }
  });

  it("leaves the app's own pages alone", async () => {
    expect((await app.browser().get("/login")).status).toBe(200);
    expect((await app.browser().get("/health")).status).toBe(200);
  });

  it("forgets a slug at once when its link is deleted, and knows a new one at once", async () => {
    expect((await app.browser().get("/later")).status).toBe(404);
    const link = await app.runtime.service.create(
      { userId: app.userIds.member, seesAll: false },
      { targetUrl: "https://example.com/later", slug: "later" },
    );
    expect((await app.browser().get("/later")).status).toBe(302);
    await app.runtime.service.delete({ userId: app.userIds.admin, seesAll: true }, link.id);
    expect((await app.browser().get("/later")).status).toBe(404);
  });
});
