import { TEST_PASSWORD } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormBrowser } from "../../../../test/support/form-browser.js";
import { type AdminTestApp, startAdminTestApp } from "../test-support/admin-test-app.js";
import { auditRows } from "../test-support/audit-rows.js";

// The sign-in clients pages as an admin uses them: real HTTP to admin's loopback port
// (the Host header picks the app), real SQLite, the demo people by role.

const SECRET = /marg_ocs_[0-9A-Za-z]{40,}/;

describe("admin sign-in (OIDC) clients pages", () => {
  let t: AdminTestApp;
  let grace: FormBrowser;

  async function signedIn(email: string): Promise<FormBrowser> {
    const port = Number(new URL(t.admin.url ?? "").port);
    const browser = new FormBrowser({ host: "admin.marg.test", port });
    const response = await browser.submit("/login", "/login", { email, password: TEST_PASSWORD });
    expect(response.status).toBe(303);
    return browser;
  }

  beforeAll(async () => {
    t = await startAdminTestApp("admin-oidc-clients", { listen: true, queue: false });
    grace = await signedIn("grace@marg.localhost");
  }, 60_000);
  afterAll(async () => t?.close());

  it("is in admin's navigation for an admin, and refused to a member", async () => {
    const overview = await grace.get("/");
    expect(overview.body).toContain('href="/oidc-clients"');
    const page = await grace.get("/oidc-clients");
    expect(page.status).toBe(200);
    expect(page.body).toContain("No sign-in clients yet");
    const linus = await signedIn("linus@marg.localhost");
    expect((await linus.get("/oidc-clients")).status).toBe(403);
  });

  it("creates a confidential client and shows its secret once, on a page no cache keeps", async () => {
    const response = await grace.submit("/oidc-clients", "/oidc-clients", {
      clientId: "grafana",
      name: "Grafana <dash>",
      redirectUris: "https://grafana.example.com/login/generic_oauth\r\nhttps://grafana.example.com/alt",
      postLogoutRedirectUris: "https://grafana.example.com/",
      backchannelLogoutUri: "https://grafana.example.com/bc",
      appScope: "flow",
      firstParty: "1",
    });
    expect(response.status).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.body).toContain("Store the client secret now");
    expect(response.body).toContain("Grafana &lt;dash&gt;");
    const secret = SECRET.exec(response.body)?.[0] ?? "";
    expect(await t.platform.oidcClients.verifySecret("grafana", secret)).toBe(true);
    expect(await t.platform.oidcClients.find("grafana")).toMatchObject({
      type: "confidential",
      firstParty: true,
      appScope: "flow",
      redirectUris: ["https://grafana.example.com/login/generic_oauth", "https://grafana.example.com/alt"],
      postLogoutRedirectUris: ["https://grafana.example.com/"],
      backchannelLogoutUri: "https://grafana.example.com/bc",
    });
    const list = await grace.get("/oidc-clients");
    expect(list.body).toContain("https://grafana.example.com/alt");
    expect(list.body).not.toMatch(SECRET);
    const [row] = await auditRows(t.db, "oidc.client.create");
    expect(row).toMatchObject({
      actorUserId: t.users.admin.id,
      subject: "oidc_client:grafana",
      before: null,
    });
    expect(JSON.stringify(row)).not.toContain(secret);
  });

  it("shows every wrong field beside its input, keeps what was typed, and never answers 500", async () => {
    const response = await grace.submit("/oidc-clients", "/oidc-clients", {
      clientId: "Not A Slug",
      name: "",
      redirectUris: "https://app.example.com/cb#frag",
      backchannelLogoutUri: "not a url",
    });
    expect(response.status).toBe(422);
    for (const field of ["clientId", "name", "redirectUris", "backchannelLogoutUri"])
      expect(response.body).toContain(`id="f-${field}-error"`);
    expect(response.body).toContain("https://app.example.com/cb#frag");
    const taken = await grace.submit("/oidc-clients", "/oidc-clients", {
      clientId: "grafana",
      name: "Again",
      redirectUris: "https://a.example.com/cb",
    });
    expect(taken.status).toBe(409);
    expect(taken.body).toContain('id="f-clientId-error"');
    const clients = await t.platform.oidcClients.list();
    expect(clients.map((c) => c.clientId)).toEqual(["grafana"]);
  });

  it("refuses a form without its CSRF token", async () => {
    const response = await grace.post("/oidc-clients", {
      clientId: "forged",
      name: "Forged",
      redirectUris: "https://evil.example.com/cb",
    });
    expect(response.status).toBe(403);
    expect(await t.platform.oidcClients.find("forged")).toBeNull();
  });

  it("registers a public client without a secret", async () => {
    const response = await grace.submit("/oidc-clients", "/oidc-clients", {
      clientId: "spa",
      name: "Single page",
      redirectUris: "https://spa.example.com/cb",
      public: "1",
    });
    expect(response.status).toBe(303);
    const list = await grace.get("/oidc-clients");
    expect(list.body).toContain("registered as a public client");
    expect(list.body).not.toContain('action="/oidc-clients/spa/rotate-secret"');
    expect((await t.platform.oidcClients.find("spa"))?.type).toBe("public");
  });

  it("rotates a secret: the new one is shown once, the old one stops working", async () => {
    const response = await grace.submit("/oidc-clients", "/oidc-clients/grafana/rotate-secret", {});
    expect(response.status).toBe(200);
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.body).toContain("previous secret no longer works");
    const secret = SECRET.exec(response.body)?.[0] ?? "";
    expect(await t.platform.oidcClients.verifySecret("grafana", secret)).toBe(true);
    expect(await auditRows(t.db, "oidc.client.rotate-secret")).toHaveLength(1);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await grace.get("/oidc-clients")).body)?.[1] ?? "";
    const publicOne = await grace.post("/oidc-clients/spa/rotate-secret", { _csrf: csrf });
    expect(publicOne.status).toBe(303);
    expect((await grace.get("/oidc-clients")).body).toContain("PKCE alone");
    const unknown = await grace.post("/oidc-clients/NOPE/rotate-secret", { _csrf: csrf });
    expect(unknown.status).toBe(303);
  });

  it("deletes a client behind its confirmation, audited", async () => {
    const list = await grace.get("/oidc-clients");
    expect(list.body).toContain("Delete spa");
    const response = await grace.submit("/oidc-clients", "/oidc-clients/spa/delete", {});
    expect(response.status).toBe(303);
    expect(await t.platform.oidcClients.find("spa")).toBeNull();
    expect((await grace.get("/oidc-clients")).body).toContain("is deleted");
    const [row] = await auditRows(t.db, "oidc.client.delete");
    expect(row).toMatchObject({
      subject: "oidc_client:spa",
      before: { name: "Single page", type: "public" },
    });
  });
});
