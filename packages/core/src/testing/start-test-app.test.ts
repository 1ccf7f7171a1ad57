import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defineApp } from "../app/app-definition.js";
import { startTestApp, type TestApp } from "./start-test-app.js";
import { createTempDir } from "./temp-dir.js";
import { kitProbeApp, type ProbeTables } from "./test-support/kit-probe-app.js";

// The app kit against a real installation: SQLite files in a temp folder, the
// app built as `marg serve` builds it, requests through Fastify's inject (and,
// with `listen`, a real socket).

describe("startTestApp and the app kit", () => {
  const css = createTempDir("kit-css");
  let t: TestApp<"super-admin" | "admin" | "member" | "viewer">;
  beforeAll(async () => {
    t = await startTestApp(kitProbeApp(css.path), {
      label: "kit",
      alongside: [defineApp({ id: "flow", title: "Flow" })],
    });
  });
  afterAll(async () => {
    await t?.close();
    css.remove();
  });

  it("signs a demo person in through the sign-in form, and the session holds on another app", async () => {
    const grace = await t.signIn("admin");
    expect((await grace.get("/notes")).status).toBe(200);
    const me = await grace.at("flow").getJson("/api/v1/me");
    expect(me.status).toBe(200);
    expect(me.json).toMatchObject({ user: { email: "grace@marg.localhost" } });
    expect((await t.client().get("/notes")).status).toBe(303);
  });

  it("validates a form into one message per field, without writing", async () => {
    const linus = await t.signIn("linus@marg.localhost");
    const csrf = ((await linus.getJson("/api/v1/me")).json as { csrfToken: string }).csrfToken;
    const refused = await linus.post("/notes", { _csrf: csrf, title: "  " });
    expect(refused.status).toBe(422);
    expect(refused.json).toEqual({ formErrors: { title: "Give the note a title." } });
    const saved = await linus.post("/notes", { _csrf: csrf, title: "first" });
    expect(saved.status).toBe(303);
    expect((await linus.get("/notes")).body).toContain("first");
  });

  it("validates JSON into E_VALIDATION with the same fields, the array's problem on its field", async () => {
    const vera = await t.signIn("viewer");
    const refused = await vera.sendJson("POST", "/api/v1/notes", { title: "", tags: ["much-too-long"] });
    expect(refused.status).toBe(422);
    expect(refused.json).toMatchObject({
      error: {
        code: "E_VALIDATION",
        fields: { title: "Give the note a title.", tags: "Keep tags short." },
      },
    });
    const created = await vera.sendJson("POST", "/api/v1/notes", { title: "second", tags: ["a"] });
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ title: "second", tags: ["a"] });
  });

  it("refuses a JSON write without the CSRF token", async () => {
    const vera = await t.signIn("viewer");
    const refused = await vera.send("POST", "/api/v1/notes", JSON.stringify({ title: "x" }), {
      "content-type": "application/json",
      accept: "application/json",
    });
    expect(refused.status).toBe(403);
  });

  it("keeps the app's rows in its own database, reached by platform.appDatabase from any process", async () => {
    expect(t.config.db.connections.app.database).toBe("probe_db");
    const own = await t.platform
      .appDatabase<ProbeTables>("probe")
      .selectFrom("notes")
      .select("title")
      .execute();
    expect(own.map((row) => row.title)).toEqual(expect.arrayContaining(["first", "second"]));
    // flow's process (a worker would do the same) opens probe's database with probe's config.
    const fromFlow = t.apps.flow?.platform.appDatabase<ProbeTables>({ id: "probe", database: "probe_db" });
    expect(await fromFlow?.selectFrom("notes").select("title").execute()).toEqual(own);
    expect(t.apps.flow?.platform.appDatabase("flow")).toBe(t.apps.flow?.platform.databases.connection("app"));
  });

  it("links the app's stylesheet in <head> and serves it under the strict CSP", async () => {
    const page = await t.client().get("/login");
    const head = page.body.slice(0, page.body.indexOf("</head>"));
    expect(head).toContain('<link rel="stylesheet" href="/assets/marg.css">');
    expect(head).toContain('<link rel="stylesheet" href="/assets/probe.css">');
    const csp = String(page.headers["content-security-policy"]);
    expect(csp).toContain("style-src 'self';");
    expect(csp).not.toContain("unsafe-inline");
    const sheet = await t.client().get("/assets/probe.css");
    expect(sheet.status).toBe(200);
    expect(sheet.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(sheet.body).toContain(".probe");
    expect((await t.client("flow").get("/login")).body).not.toContain("/assets/probe.css");
  });
});

describe("startTestApp with listen", () => {
  it("serves the app on a loopback socket too", async () => {
    const t = await startTestApp(defineApp({ id: "flow", title: "Flow" }), {
      label: "kit-listen",
      people: { nora: { email: "nora@marg.test", name: "Nora Norole", role: null } },
      listen: true,
    });
    try {
      expect(t.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const response = await fetch(`${t.url}/health`, { headers: { host: t.host } });
      expect(response.status).toBe(200);
      expect((await (await t.signIn("nora")).getJson("/api/v1/me")).json).toMatchObject({
        user: { email: "nora@marg.test" },
      });
    } finally {
      await t.close();
    }
  });
});
