import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildProbeApp, type ProbeApp } from "../health/test-support/probe-app.js";
import { waitFor } from "../queue/test-support/wait-for.js";
import { createMaintenanceStore } from "./create-maintenance-store.js";
import { BYPASS_COOKIE, bypassHashes } from "./maintenance-bypass.js";
import type { MaintenanceTables } from "./maintenance-migrations.js";
import { ALL_APPS, type MaintenanceState, type MaintenanceStore } from "./types.js";

// Maintenance mode on a real app server whose default gate reads the real
// store (the embedded rbac database) through its one-second cache.

const SECRET = "let-the-team-in-42";

const down = (overrides: Partial<MaintenanceState> = {}): MaintenanceState => ({
  scope: ALL_APPS,
  message: "Deploying updates...",
  retryAfterSeconds: 60,
  ...bypassHashes(SECRET),
  allow: ["192.0.2.0/24"],
  pauseWorkers: false,
  since: Date.now(),
  ...overrides,
});

describe("maintenance mode on an app server", () => {
  let app: ProbeApp;
  let store: MaintenanceStore;
  const get = (url: string, options: { headers?: Record<string, string>; remoteAddress?: string } = {}) =>
    app.server.inject({ method: "GET", url, remoteAddress: "198.51.100.7", ...options });
  const until503 = () =>
    waitFor("maintenance to reach the app", async () => (await get("/")).statusCode === 503);

  beforeAll(async () => {
    app = await buildProbeApp({ env: { SESSION_DOMAIN: ".marg.localhost" } });
    store = await createMaintenanceStore(app.config, {
      rbacDb: app.platform.databases.connection<MaintenanceTables>("rbac"),
    });
    await store.put(down());
    await until503();
  });
  afterAll(() => app.close());

  it("answers 503 with Retry-After and the maintenance page in the ecosystem's look", async () => {
    const response = await get("/", { headers: { accept: "text/html" } });
    expect(response.statusCode).toBe(503);
    expect(response.headers["retry-after"]).toBe("60");
    expect(response.headers["cache-control"]).toBe("no-store");
    expect(response.body).toContain("Down for maintenance");
    expect(response.body).toContain("Deploying updates...");
    expect(response.body).toContain('href="/assets/marg.css"');
    expect((await get("/assets/marg.css")).statusCode).toBe(200);
  });

  it("answers API clients in JSON", async () => {
    const response = await get("/api/tasks", { headers: { accept: "application/json" } });
    expect(response.statusCode).toBe(503);
    expect(response.json()).toMatchObject({
      error: { code: "E_MAINTENANCE_MODE", message: "Deploying updates...", retryAfterSeconds: 60 },
    });
  });

  it("keeps /health answering 200 so HAProxy keeps the servers and users see this page", async () => {
    const response = await get("/health");
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ status: "healthy" });
  });

  it("sets a bypass cookie for whoever visits /{secret}, on SESSION_DOMAIN, and lets its holder through", async () => {
    const unlock = await get(`/${SECRET}`);
    expect(unlock.statusCode).toBe(303);
    expect(unlock.headers.location).toBe("/");
    const setCookie = String(unlock.headers["set-cookie"]);
    expect(setCookie).toContain(`${BYPASS_COOKIE}=`);
    expect(setCookie).toContain("Domain=.marg.localhost");
    expect(setCookie).toContain("HttpOnly");
    expect(setCookie).not.toContain(SECRET);
    const cookie = setCookie.split(";")[0] ?? "";
    const through = await get("/login", { headers: { cookie } });
    expect(through.statusCode).toBe(200);
    const forged = await get("/login", { headers: { cookie: `${BYPASS_COOKIE}=${"0".repeat(64)}` } });
    expect(forged.statusCode).toBe(503);
  });

  it("does not open for a wrong secret", async () => {
    expect((await get("/let-the-team-in-43")).statusCode).toBe(503);
  });

  it("lets allowed addresses through", async () => {
    expect((await get("/login", { remoteAddress: "192.0.2.10" })).statusCode).toBe(200);
  });

  it("ignores another app's record and comes back up when the record is removed", async () => {
    await store.removeAll();
    await store.put(down({ scope: "some-other-app" }));
    await waitFor("the app to come back", async () => (await get("/login")).statusCode === 200);
    await store.removeAll();
  });
});
