import type { TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type LinksTestApp, startLinksTestApp } from "../test-support/links-test-app.js";

/** Creates a link through the form; returns the response. */
async function createByForm(browser: TestClient, fields: Record<string, string>) {
  return browser.submit("/links/new", "/links", { enabled: "on", ...fields });
}

async function linkIdOf(app: LinksTestApp, slug: string): Promise<number> {
  const row = await app.db
    .selectFrom("links")
    .select("id")
    .where("slug", "=", slug)
    .executeTakeFirstOrThrow();
  return Number(row.id);
}

describe("links.marg pages", () => {
  let app: LinksTestApp;
  let member: TestClient;

  beforeAll(async () => {
    app = await startLinksTestApp({ label: "links_pages" });
    member = await app.signIn("member");
  });

  afterAll(async () => {
    await app?.close();
  });

  describe("guards", () => {
    it("sends a guest to the sign-in page, and back afterwards", async () => {
      const response = await app.browser().get("/links");
      expect(response.status).toBe(302);
      expect(response.location).toBe("/login?next=%2Flinks");
    });

    it("sends the start page to the list when signed in and to sign-in otherwise", async () => {
      expect((await member.get("/")).location).toBe("/links");
      expect((await app.browser().get("/")).location).toBe("/login");
    });

    it("lets a viewer see the list but not the create button, and refuses the create form with 403", async () => {
      const viewer = await app.signIn("viewer");
      const list = await viewer.get("/links");
      expect(list.status).toBe(200);
      expect(list.body).not.toContain('href="/links/new"');
      const form = await viewer.get("/links/new");
      expect(form.status).toBe(403);
      expect(form.body).toContain("links.create");
      expect(form.body).toContain('class="topbar"');
    });

    it("refuses a form post without the CSRF token", async () => {
      const response = await member.post("/links", { targetUrl: "https://example.com" });
      expect(response.status).toBe(403);
    });
  });

  describe("creating", () => {
    it("shows an empty state that offers to create the first link", async () => {
      const fresh = await app.signIn("other");
      const page = await fresh.get("/links");
      expect(page.body).toContain("You have no short links yet");
      expect(page.body).toContain("Create your first short link");
    });

    it("creates a link with a chosen slug and lists it with a flash message", async () => {
      const response = await createByForm(member, {
        targetUrl: "https://example.com/launch",
        slug: "launch-day",
        title: "Launch",
        tags: "News, launch",
      });
      expect(response.status).toBe(303);
      expect(response.location).toBe("/links");
      const list = await member.get("/links");
      expect(list.body).toContain("Created http://links.marg.test/launch-day");
      expect(list.body).toContain("/launch-day");
      expect(list.body).toContain(">news</a>");
    });

    it("generates a 7-character slug from the safe alphabet when none is given", async () => {
      await createByForm(member, { targetUrl: "https://example.com/generated", title: "generated" });
      const row = await app.db
        .selectFrom("links")
        .select("slug")
        .where("target_url", "=", "https://example.com/generated")
        .executeTakeFirstOrThrow();
      expect(row.slug).toMatch(/^[23456789abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ]{7}$/);
    });

    for (const [what, targetUrl, message] of [
      ["javascript: URLs", "javascript:alert(document.cookie)", "javascript: links are refused"],
      [
        "javascript: hidden behind spaces and newlines",
        "  java\nscript:alert(1)",
        "javascript: links are refused",
      ],
      ["data: URLs", "data:text/html;base64,PHNjcmlwdD4=", "data: links are refused"],
      ["other schemes", "ftp://example.com/file", "ftp: links are refused"],
      ["malformed addresses", "not a url", "is not a valid web address"],
      ["relative paths", "/just/a/path", "is not a valid web address"],
      ["addresses with credentials", "https://bank.example@evil.example/", "must not contain a user name"],
      ["an empty address", "", "is required"],
    ] as const) {
      it(`refuses ${what}, showing the message next to the field and keeping the input`, async () => {
        const response = await createByForm(member, { targetUrl, title: "kept title" });
        expect(response.status).toBe(422);
        expect(response.body).toContain('id="f-targetUrl-error"');
        expect(response.body).toContain(message);
        expect(response.body).toContain('value="kept title"');
      });
    }

    for (const [slug, message] of [
      ["login", "is reserved"],
      ["api", "is reserved"],
      ["stats", "is reserved"],
      ["reset-password", "is reserved"],
      ["launch-day", "is already taken"],
      ["Upper", "lowercase letters"],
      ["ab", "lowercase letters"],
      ["no spaces", "lowercase letters"],
      ["a".repeat(65), "lowercase letters"],
    ] as const) {
      it(`refuses the slug "${slug.slice(0, 20)}" (${message})`, async () => {
        const response = await createByForm(member, { targetUrl: "https://example.com", slug });
        expect(response.status).toBe(422);
        expect(response.body).toContain('id="f-slug-error"');
        expect(response.body).toContain(message);
      });
    }

    it("refuses a slug that a route of the server answers, even if not in the reserved list", async () => {
      app.server.hasRoute({ method: "GET", url: "/links" });
      const response = await createByForm(member, { targetUrl: "https://example.com", slug: "health" });
      expect(response.body).toContain("is reserved");
    });

    it("shows titles and tags as text, never as markup", async () => {
      await createByForm(member, {
        targetUrl: "https://example.com/x?a=1&b=<2>",
        slug: "escaped",
        title: "<script>alert(1)</script>",
      });
      const list = await member.get("/links?q=escaped");
      expect(list.body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(list.body).not.toContain("<script>alert(1)</script>");
      expect(list.body).toContain("https://example.com/x?a=1&amp;b=%3C2%3E");
    });
  });

  describe("listing", () => {
    it("finds links by search text and by tag", async () => {
      await createByForm(member, { targetUrl: "https://example.com/a", slug: "alpha-one", tags: "green" });
      await createByForm(member, { targetUrl: "https://example.com/b", slug: "beta-two", tags: "blue" });
      await member.get("/links"); // shows (and so uses up) the flash message naming the new link
      const search = await member.get("/links?q=alpha");
      expect(search.body).toContain("/alpha-one");
      expect(search.body).not.toContain("/beta-two");
      const tagged = await member.get("/links?tag=blue");
      expect(tagged.body).toContain("/beta-two");
      expect(tagged.body).not.toContain("/alpha-one");
      const none = await member.get("/links?q=nothing-like-this");
      expect(none.body).toContain("No link matches these filters");
    });

    it("treats % and _ in the search as plain characters", async () => {
      const percent = await member.get(`/links?q=${encodeURIComponent("%")}`);
      expect(percent.body).toContain("/escaped");
      expect(percent.body).not.toContain("/alpha-one");
      const underscore = await member.get(`/links?q=${encodeURIComponent("_")}`);
      expect(underscore.body).toContain("No link matches these filters");
    });

    it("pages through more than 20 links", async () => {
      const pager = await app.signIn("other");
      for (let i = 0; i < 21; i += 1) {
        await app.runtime.service.create(
          { userId: app.userIds.other, seesAll: false },
          { targetUrl: `https://example.com/p${i}`, slug: `page-link-${i}` },
        );
      }
      const first = await pager.get("/links");
      expect(first.body).toContain("Page 1 of 2");
      expect(first.body).toContain('href="/links?page=2"');
      const second = await pager.get("/links?page=2");
      expect(second.body).toContain("/page-link-0");
      expect(second.body).not.toContain("/page-link-20");
    });

    it("shows a member only their own links, and an admin everyone's", async () => {
      const mine = await member.get("/links?q=page-link-1");
      expect(mine.body).not.toContain("/page-link-1");
      const admin = await app.signIn("admin");
      const all = await admin.get("/links?q=page-link-1");
      expect(all.body).toContain("All links");
      expect(all.body).toContain("/page-link-1");
    });
  });

  describe("editing, switching off and deleting", () => {
    it("edits a link and the redirect follows the new target at once", async () => {
      const id = await linkIdOf(app, "launch-day");
      expect((await app.browser().get("/launch-day")).location).toBe("https://example.com/launch");
      const form = await member.get(`/links/${id}/edit`);
      expect(form.status).toBe(200);
      expect(form.body).toContain('value="https://example.com/launch"');
      const saved = await member.submit(`/links/${id}/edit`, `/links/${id}`, {
        targetUrl: "https://example.com/launch-v2",
        slug: "launch-day",
        title: "Launch",
        tags: "news",
        enabled: "on",
      });
      expect(saved.status).toBe(303);
      expect((await app.browser().get("/launch-day")).location).toBe("https://example.com/launch-v2");
    });

    it("re-renders the edit form with the errors and what was typed", async () => {
      const id = await linkIdOf(app, "launch-day");
      const response = await member.submit(`/links/${id}/edit`, `/links/${id}`, {
        targetUrl: "data:text/plain,hi",
        slug: "launch-day",
      });
      expect(response.status).toBe(422);
      expect(response.body).toContain('value="data:text/plain,hi"');
    });

    it("answers 404 for someone else's link, so ids cannot be probed", async () => {
      const theirs = await linkIdOf(app, "page-link-3");
      expect((await member.get(`/links/${theirs}/edit`)).status).toBe(404);
      expect((await member.get(`/links/${theirs}/stats`)).status).toBe(404);
      expect((await member.get("/links/999999/edit")).status).toBe(404);
      expect((await member.get("/links/abc/edit")).status).toBe(404);
    });

    it("switches a link off (the redirect answers the friendly 404) and on again", async () => {
      const id = await linkIdOf(app, "alpha-one");
      expect((await member.submit("/links", `/links/${id}/toggle`, {})).status).toBe(303);
      const off = await app.browser().get("/alpha-one");
      expect(off.status).toBe(404);
      expect(off.body).toContain("does not exist or has been switched off");
      await member.submit("/links", `/links/${id}/toggle`, {});
      expect((await app.browser().get("/alpha-one")).status).toBe(302);
    });

    it("does not show members a delete button, and refuses their delete with 403", async () => {
      const id = await linkIdOf(app, "alpha-one");
      const list = await member.get("/links");
      expect(list.body).not.toContain(`/links/${id}/delete`);
      expect((await member.get(`/links/${id}/delete`)).status).toBe(403);
    });

    it("lets an admin delete after confirming; the short link then answers 404", async () => {
      const admin = await app.signIn("admin");
      const id = await linkIdOf(app, "beta-two");
      const confirm = await admin.get(`/links/${id}/delete`);
      expect(confirm.body).toContain("Delete /beta-two?");
      const response = await admin.submit(`/links/${id}/delete`, `/links/${id}/delete`, {});
      expect(response.status).toBe(303);
      expect((await app.browser().get("/beta-two")).status).toBe(404);
      expect(
        await app.db.selectFrom("links").select("id").where("id", "=", id).executeTakeFirst(),
      ).toBeUndefined();
    });
  });
});
