/**
 * Issue 9, scenario 1 (phase 3 of the seed): three flow and two links processes
 * behind HAProxy, its haproxy.cfg rendered from phase3-horizontal.yml, sessions in
 * Redis. One sign-in is honoured by every process; a process killed with -9 under
 * load is taken out by the /health check, the load counts what failed, and a
 * restarted process rejoins. Measured numbers go to test-artifacts/ha/.
 */
import { generateAppKey } from "@marg/core/config";
import { createScratchRedisPrefix, createTempDir } from "@marg/core/testing";
import { renderToTemp, tweakExample, waitFor } from "@marg/deploy/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormBrowser } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import { type AppProcesses, startAppProcesses } from "../support/ha/app-processes.js";
import { recordHaResult } from "../support/ha/ha-results.js";
import { type LoopbackHaproxy, startLoopbackHaproxy } from "../support/ha/haproxy-on-loopback.js";
import { startLoad } from "../support/ha/load-client.js";
import { createMargInstallation } from "../support/marg-installation.js";

const ADA = { email: "ada@marg.localhost", password: "marg-demo-password", name: "Ada Lovelace" };

describe("phase 3: flow ×3 and links ×2 behind the rendered HAProxy, sessions in Redis", () => {
  const installation = createMargInstallation("ha-http");
  const temp = createTempDir("ha-http-lb");
  const redis = createScratchRedisPrefix("ha_http");
  let apps: AppProcesses;
  let haproxy: LoopbackHaproxy;
  let removeRendered = () => {};
  const browser = () => new FormBrowser({ host: "flow.marg.test", port: haproxy.port });
  let ada: FormBrowser;

  beforeAll(async () => {
    const lbPort = await freePort();
    installation.writeSharedEnv({
      APP_KEY: generateAppKey(),
      MARG_APPS: "flow,links",
      MARG_DOMAIN: "marg.test",
      SESSION_DOMAIN: ".marg.test",
      SESSION_DRIVER: "redis",
      CACHE_STORE: "redis",
      REDIS_PREFIX: redis.prefix,
      MAIL_MAILER: "log",
      LOG_LEVEL: "warn",
    });
    for (const app of ["flow", "links"])
      installation.writeAppEnv(app, { APP_URL: `http://${app}.marg.test:${lbPort}` });
    await installation.run(["migrate"]);
    await installation.run(["db:seed"]);
    apps = await startAppProcesses(installation, { flow: 3, links: 2 });
    const rendered = renderToTemp(
      tweakExample("phase3-horizontal", (inventory) => {
        inventory.tls.enabled = false;
      }),
      "ha-http",
    );
    removeRendered = rendered.remove;
    haproxy = await startLoopbackHaproxy({
      renderedFile: rendered.file("lb-1/etc/haproxy/haproxy.cfg"),
      dir: temp.path,
      port: lbPort,
      statsPort: await freePort(),
      backends: {
        app_flow: apps.of("flow").map(({ name, port }) => ({ name, port })),
        app_links: apps.of("links").map(({ name, port }) => ({ name, port })),
      },
    });
    await waitFor(
      "every process UP in HAProxy",
      async () => {
        const states = await Promise.all(
          apps.all.map((entry) => haproxy.status(`app_${entry.app}`, entry.name)),
        );
        return states.every((state) => state === "UP");
      },
      30_000,
    );
  }, 150_000);

  afterAll(async () => {
    await haproxy?.stop();
    await apps?.stop();
    await redis.clear();
    removeRendered();
    temp.remove();
    installation.remove();
  });

  it("keeps the rendered failover settings: redispatch, retries, /health checks", () => {
    expect(haproxy.config).toContain("option redispatch");
    expect(haproxy.config).toMatch(/retries 3/);
    expect(haproxy.config).toContain("option httpchk GET /health");
  });

  it("signs Ada in once and every process of flow and links serves her signed in, in turn", async () => {
    ada = browser();
    const signIn = await ada.submit("/login", "/login", { email: ADA.email, password: ADA.password });
    expect(signIn.status).toBe(303);
    for (const app of ["flow", "links"]) {
      const seen = new Set<string>();
      const processes = apps.of(app).map((entry) => entry.name);
      for (let turn = 0; turn < processes.length * 2; turn++) {
        const page = await ada.at({ host: `${app}.marg.test`, port: haproxy.port }).get("/account");
        expect(page.status, `${app} turn ${turn}`).toBe(200);
        expect(page.body).toContain(ADA.name);
        seen.add(String(page.headers["x-served-by"]));
      }
      expect([...seen].sort()).toEqual(processes.sort());
    }
  });

  it("takes a process killed with -9 under load out through /health, with only in-flight requests failing", async () => {
    const cookie = [...ada.jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const load = await startLoad({
      port: haproxy.port,
      host: "flow.marg.test",
      path: "/account",
      cookie,
      expect: ADA.name,
      concurrency: 4,
      rate: 15,
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const killedAt = Date.now();
      apps.kill("flow-2");
      await waitFor(
        "HAProxy to mark flow-2 DOWN",
        async () => (await haproxy.status("app_flow", "flow-2")) === "DOWN",
        30_000,
      );
      const detectionMs = Date.now() - killedAt;
      await new Promise((resolve) => setTimeout(resolve, 2_000));
      const summary = await load.finish();
      recordHaResult("http-kill", {
        detectionMs,
        sent: summary.sent,
        failed: summary.failed,
        failures: summary.failures,
        servedBy: summary.servedBy,
      });
      expect(summary.ok).toBeGreaterThan(50);
      // Only requests already sent to flow-2 when it died may fail (one per load loop at most).
      expect(summary.failed).toBeLessThanOrEqual(4);
      expect(await haproxy.status("app_flow", "flow-1")).toBe("UP");
    } finally {
      await load.kill();
    }
  }, 60_000);

  it("lets the process rejoin when it comes back: HAProxy marks it UP and it serves Ada signed in", async () => {
    const restartedAt = Date.now();
    await apps.restart("flow-2");
    await waitFor(
      "HAProxy to mark flow-2 UP",
      async () => (await haproxy.status("app_flow", "flow-2")) === "UP",
      30_000,
    );
    recordHaResult("http-rejoin", { rejoinMs: Date.now() - restartedAt });
    const servers = new Set<string>();
    for (let turn = 0; turn < 6; turn++) {
      const page = await ada.get("/account");
      expect(page.status).toBe(200);
      expect(page.body).toContain(ADA.name);
      servers.add(String(page.headers["x-served-by"]));
    }
    expect(servers).toContain("flow-2");
  }, 60_000);
});
