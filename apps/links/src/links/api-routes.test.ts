import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { bodyOf, JsonClient } from "../test-support/json-client.js";
import { type LinksTestApp, startLinksTestApp } from "../test-support/links-test-app.js";

interface LinkBody {
  id: number;
  slug: string;
  shortUrl: string;
  targetUrl: string;
  title: string;
  tags: string[];
  enabled: boolean;
  ownerId: number;
  clicks?: number;
  createdAt: string;
}
interface ErrorBody {
  error: { code: string; message: string; fields?: Record<string, string> };
}

describe("/api/v1/links", () => {
  let app: LinksTestApp;
  let member: JsonClient;
  let admin: JsonClient;
  let created: LinkBody;

  beforeAll(async () => {
    app = await startLinksTestApp({ label: "links_api" });
    member = new JsonClient(await app.signIn("member"));
    admin = new JsonClient(await app.signIn("admin"));
  });

  afterAll(async () => {
    await app?.close();
  });

  it("answers guests with 401 JSON", async () => {
    const response = await new JsonClient(app.browser()).get("/api/v1/links");
    expect(response.status).toBe(401);
    expect(bodyOf<ErrorBody>(response).error.code).toBe("E_AUTH_REQUIRED");
  });

  it("refuses a write without the X-CSRF-Token header", async () => {
    const response = await member.post(
      "/api/v1/links",
      { targetUrl: "https://example.com" },
      { csrf: false },
    );
    expect(response.status).toBe(403);
    expect(bodyOf<ErrorBody>(response).error.code).toBe("E_SESSION_CSRF_INVALID");
  });

  it("creates a link (201) and lists it", async () => {
    const response = await member.post("/api/v1/links", {
      targetUrl: "https://example.com/api",
      slug: "from-api",
      title: "<b>bold</b>",
      tags: ["API", "docs"],
    });
    expect(response.status).toBe(201);
    created = bodyOf<{ data: LinkBody }>(response).data;
    expect(created).toMatchObject({
      slug: "from-api",
      shortUrl: "http://links.marg.test/from-api",
      targetUrl: "https://example.com/api",
      title: "<b>bold</b>",
      tags: ["api", "docs"],
      enabled: true,
      ownerId: app.userIds.member,
    });
    expect(response.headers.location).toBe(`/api/v1/links/${created.id}`);
    const list = bodyOf<{ data: LinkBody[]; pagination: { total: number } }>(
      await member.get("/api/v1/links"),
    );
    expect(list.pagination.total).toBe(1);
    expect(list.data[0]).toMatchObject({ slug: "from-api", clicks: 0 });
  });

  it("validates with the same rules and messages as the form (422 with fields)", async () => {
    const response = await member.post("/api/v1/links", {
      targetUrl: "javascript:alert(1)",
      slug: "login",
      tags: ["not a tag!"],
      enabled: "yes",
    });
    expect(response.status).toBe(422);
    const { error } = bodyOf<ErrorBody>(response);
    expect(error.code).toBe("E_VALIDATION");
    expect(error.fields?.targetUrl).toContain("javascript: links are refused");
    expect(error.fields?.tags).toContain("is not a tag");
    expect(error.fields?.enabled).toBe("must be true or false");
    const reserved = await member.post("/api/v1/links", { targetUrl: "https://example.com", slug: "login" });
    expect(bodyOf<ErrorBody>(reserved).error.fields?.slug).toContain("is reserved");
    const taken = await member.post("/api/v1/links", { targetUrl: "https://example.com", slug: "from-api" });
    expect(bodyOf<ErrorBody>(taken).error.fields?.slug).toContain("already taken");
    const empty = await member.post("/api/v1/links", {});
    expect(bodyOf<ErrorBody>(empty).error.fields?.targetUrl).toBeDefined();
  });

  it("refuses targets on loopback, private, link-local and metadata addresses with a field message", async () => {
    for (const targetUrl of [
      "http://169.254.169.254/latest/meta-data/",
      "http://2130706433/",
      "http://0x7f.1/admin",
      "http://[::ffff:127.0.0.1]/",
      "http://192.168.1.1/",
      "http://localhost:9000/",
    ]) {
      const response = await member.post("/api/v1/links", { targetUrl });
      expect(response.status, targetUrl).toBe(422);
      const { error } = bodyOf<ErrorBody>(response);
      expect(error.fields?.targetUrl, targetUrl).toContain("short links may only lead to public addresses");
    }
    const mine = bodyOf<{ data: LinkBody }>(
      await member.post("/api/v1/links", { targetUrl: "https://example.com/ok" }),
    ).data;
    const moved = await member.patch(`/api/v1/links/${mine.id}`, { targetUrl: "http://10.0.0.5/" });
    expect(moved.status).toBe(422);
    expect(bodyOf<ErrorBody>(moved).error.fields?.targetUrl).toContain("private network address");
  });

  it("filters by tag and search, and pages", async () => {
    const tagged = bodyOf<{ data: LinkBody[] }>(await member.get("/api/v1/links?tag=api"));
    expect(tagged.data.map((link) => link.slug)).toEqual(["from-api"]);
    const none = bodyOf<{ data: LinkBody[] }>(await member.get("/api/v1/links?q=zzz"));
    expect(none.data).toEqual([]);
    const bad = await member.get("/api/v1/links?perPage=1000");
    expect(bad.status).toBe(422);
  });

  it("changes a link with PATCH; enabled:false switches the redirect off", async () => {
    expect((await app.browser().get("/from-api")).status).toBe(302);
    const response = await member.patch(`/api/v1/links/${created.id}`, { enabled: false, title: "Off" });
    expect(response.status).toBe(200);
    expect(bodyOf<{ data: LinkBody }>(response).data).toMatchObject({
      enabled: false,
      title: "Off",
      slug: "from-api",
    });
    expect((await app.browser().get("/from-api")).status).toBe(404);
    await member.patch(`/api/v1/links/${created.id}`, { enabled: true });
    expect((await app.browser().get("/from-api")).status).toBe(302);
  });

  it("renames a slug: the old one stops at once, the new one works", async () => {
    await member.patch(`/api/v1/links/${created.id}`, { slug: "renamed-api" });
    expect((await app.browser().get("/from-api")).status).toBe(404);
    expect((await app.browser().get("/renamed-api")).location).toBe("https://example.com/api");
  });

  it("answers 404 for another member's link and for ids that are not numbers", async () => {
    const other = new JsonClient(await app.signIn("other"));
    expect((await other.get(`/api/v1/links/${created.id}`)).status).toBe(404);
    expect((await other.patch(`/api/v1/links/${created.id}`, { title: "mine now" })).status).toBe(404);
    expect((await member.get("/api/v1/links/abc")).status).toBe(404);
  });

  it("serves stats as JSON, with a day per entry, counting each redirect", async () => {
    type Stats = { data: { days: unknown[]; total: number; pending: number } };
    const before = bodyOf<Stats>(await member.get(`/api/v1/links/${created.id}/stats?days=7`)).data;
    await app.browser().get("/renamed-api");
    const response = await member.get(`/api/v1/links/${created.id}/stats?days=7`);
    expect(response.status).toBe(200);
    const { data } = bodyOf<Stats>(response);
    expect(data.days).toHaveLength(7);
    expect(data.total).toBe(before.total + 1);
    expect((await member.get(`/api/v1/links/${created.id}/stats?days=3`)).status).toBe(422);
  });

  it("refuses DELETE to members (403) and lets an admin delete (204)", async () => {
    expect((await member.delete(`/api/v1/links/${created.id}`)).status).toBe(403);
    expect((await admin.delete(`/api/v1/links/${created.id}`)).status).toBe(204);
    expect((await member.get(`/api/v1/links/${created.id}`)).status).toBe(404);
  });

  it("is described in the OpenAPI document at /api/docs/json", async () => {
    const doc = bodyOf<{ paths: Record<string, Record<string, { tags?: string[] }>> }>(
      await member.get("/api/docs/json"),
    );
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining(["/api/v1/links", "/api/v1/links/{id}", "/api/v1/links/{id}/stats"]),
    );
    expect(doc.paths["/api/v1/links"]?.post?.tags).toEqual(["links"]);
    expect(Object.keys(doc.paths)).not.toContain("/{slug}");
  });

  it("keeps the OpenAPI document from guests (401)", async () => {
    expect((await new JsonClient(app.browser()).get("/api/docs/json")).status).toBe(401);
  });
});
