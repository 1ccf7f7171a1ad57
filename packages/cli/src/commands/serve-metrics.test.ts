import { once } from "node:events";
import { createServer, request } from "node:http";
import path from "node:path";
import { createScratchRedisPrefix, TEST_REDIS } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../../test/support/free-port.js";
import { createMargInstallation, type MargInstallation } from "../../../../test/support/marg-installation.js";
import { MARG_BIN, type RunningProcess, startProcess } from "../../../../test/support/spawn-process.js";

// `marg serve flow` as a real process with APP_METRICS_PORT set: besides the app's
// port it serves /metrics on a listener of its own (the one a Prometheus on another
// server scrapes), with the app's counters and the same access rules as the app's
// route: the allow-list (here 127.0.0.2 only) or METRICS_TOKEN.

const TOKEN = "serve-metrics-token-0123456789";
const scratch = createScratchRedisPrefix("serve_metrics");
let installation: MargInstallation;
let app: RunningProcess | undefined;
let appPort = 0;
let metricsPort = 0;

/** GET /metrics from `from` (a loopback address of this machine), with an optional Bearer token. */
function scrape(from: string, token?: string, url = "/metrics"): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = token === undefined ? {} : { authorization: `Bearer ${token}` };
    const sent = request(
      { host: "127.0.0.1", port: metricsPort, path: url, localAddress: from, headers },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    sent.on("error", reject);
    sent.end();
  });
}

describe("marg serve with APP_METRICS_PORT", () => {
  beforeAll(async () => {
    appPort = await freePort();
    metricsPort = await freePort();
    installation = createMargInstallation("serve-metrics");
    installation.writeSharedEnv({
      APP_KEY: `base64:${Buffer.alloc(32, 7).toString("base64")}`,
      APP_ENV: "production",
      MARG_APPS: "flow",
      MARG_DOMAIN: "marg.test",
      SESSION_DOMAIN: ".marg.test",
      SESSION_DRIVER: "redis",
      CACHE_STORE: "redis",
      QUEUE_CONNECTION: "redis",
      REDIS_HOST: TEST_REDIS.host,
      REDIS_PORT: String(TEST_REDIS.port),
      REDIS_PREFIX: scratch.prefix,
      STORAGE_PATH: path.join(installation.root, "storage"),
      METRICS_ALLOW: "127.0.0.2",
      METRICS_TOKEN: TOKEN,
      LOG_LEVEL: "info",
    });
    app = startProcess("node", [MARG_BIN, "serve", "flow"], {
      env: {
        MARG_ROOT: installation.root,
        PORT: String(appPort),
        HOST: "127.0.0.1",
        APP_METRICS_PORT: String(metricsPort),
      },
    });
    await app.waitFor(/Flow is serving/, 90_000);
  }, 120_000);

  afterAll(async () => {
    await app?.stop();
    await scratch.clear();
    installation?.remove();
  });

  it("serves the app's own counters on its second listener to an address of METRICS_ALLOW", async () => {
    await (await fetch(`http://127.0.0.1:${appPort}/health/live`)).arrayBuffer();
    const scraped = await scrape("127.0.0.2");
    expect(scraped.status).toBe(200);
    expect(scraped.body).toContain("marg_http_requests_total");
    expect(app?.output()).toContain(`metrics on http://127.0.0.1:${metricsPort}/metrics`);
  });

  it("answers 404 to an address outside the allow-list unless it sends METRICS_TOKEN", async () => {
    expect((await scrape("127.0.0.1")).status).toBe(404);
    expect((await scrape("127.0.0.1", "not-the-token")).status).toBe(404);
    const withToken = await scrape("127.0.0.1", TOKEN);
    expect(withToken.status).toBe(200);
    expect(withToken.body).toContain("marg_http_requests_total");
  });

  it("serves nothing but /metrics there", async () => {
    expect((await scrape("127.0.0.2", TOKEN, "/health/live")).status).toBe(404);
  });

  it("refuses to start, naming APP_METRICS_PORT, when that port is taken", async () => {
    const holder = createServer();
    holder.listen(0, "127.0.0.1");
    await once(holder, "listening");
    const taken = (holder.address() as { port: number }).port;
    try {
      const second = startProcess("node", [MARG_BIN, "serve", "flow"], {
        env: {
          MARG_ROOT: installation.root,
          PORT: String(await freePort()),
          HOST: "127.0.0.1",
          APP_METRICS_PORT: String(taken),
        },
      });
      const code = await new Promise<number | null>((resolve) => second.child.once("exit", resolve));
      expect(code).not.toBe(0);
      expect(second.output()).toContain(`127.0.0.1:${taken}: the port is in use`);
      expect(second.output()).toContain("APP_METRICS_PORT");
      expect(second.output()).not.toContain("WORKER_INDEX");
    } finally {
      holder.close();
    }
  }, 60_000);
});
