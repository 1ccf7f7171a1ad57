/**
 * Issue 14, item 5: the rendered Prometheus reaches the apps of every http server,
 * not only those beside it. A two-http-server inventory on loopback (box-1 at
 * 127.0.0.1 runs Prometheus, box-2 at 127.0.0.2 stands for a second machine) is
 * rendered by the CLI; Debian's promtool checks the rendered prometheus.yml;
 * Debian's supervisord runs box-2's rendered conf.d/marg.conf (real `marg serve`
 * processes whose /metrics listener is on box-2's address, from the rendered
 * APP_METRICS_HOST/APP_METRICS_PORT); Debian's Prometheus on box-1's rendered
 * config scrapes them there, with the rendered token only (loopback is not in
 * METRICS_ALLOW).
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { userInfo } from "node:os";
import path from "node:path";
import { generateAppKey } from "@marg/core/config";
import { createScratchRedisPrefix } from "@marg/core/testing";
import { parse as parseEnv } from "dotenv";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCompiled } from "../support/compiled-build.js";
import { freePort } from "../support/free-port.js";
import { createMargInstallation } from "../support/marg-installation.js";
import {
  type PrometheusTarget,
  promtool,
  type RunningPrometheus,
  startPrometheus,
} from "../support/prometheus.js";
import { REPO_ROOT } from "../support/spawn-process.js";
import { type RunningSupervisord, startSupervisord } from "../support/supervisord.js";

const APPS = ["flow", "links"] as const;
const SECOND = "127.0.0.2";

describe("the rendered Prometheus scrapes the apps of another http server on its address", () => {
  const installation = createMargInstallation("app-metrics-scrape");
  const redis = createScratchRedisPrefix("app_metrics_scrape");
  const out = path.join(installation.root, "fleet");
  const conf = path.join(out, "box-1/etc/prometheus/prometheus.yml");
  const supervisorConf = path.join(out, "box-2/etc/supervisor/conf.d/marg.conf");
  const logDir = path.join(installation.root, "logs");
  let appMetricsBase = 0;
  let supervisord: RunningSupervisord | undefined;
  let prometheus: RunningPrometheus | undefined;

  beforeAll(async () => {
    // The rendered programs run the compiled code: build it first, so they never run a stale dist/.
    await buildCompiled();
    const appPorts = [await freePort(), await freePort()];
    // The apps' /metrics listen on 127.0.0.2, where no other test binds: any port there is free.
    appMetricsBase = await freePort();
    const inventory = {
      name: "marg-two-http",
      phase: 3,
      // Both "servers" on this machine, each on an address of its own.
      singleHost: true,
      domain: "marg.test",
      environment: "local",
      apps: APPS.map((app, index) => ({ name: app, port: appPorts[index], database: `${app}_db` })),
      servers: [
        {
          name: "box-1",
          address: "127.0.0.1",
          roles: ["http", "worker", "redis", "mysql-primary"],
          memory: "4G",
        },
        { name: "box-2", address: SECOND, roles: ["http"], memory: "4G" },
        // Phase 3 puts HAProxy in front of the two http servers; this suite runs none.
        { name: "lb", address: "127.0.0.3", roles: ["lb"], memory: "1G" },
      ],
      install: {
        processManager: "supervisor",
        root: installation.root,
        user: userInfo().username,
        node: process.execPath,
        logDir,
        shutdownTimeout: 5,
      },
      monitoring: {
        scrapeInterval: "1s",
        evaluationInterval: "1s",
        appMetricsPort: appMetricsBase,
        workerMetricsPort: await freePort(),
        nodeExporterPort: await freePort(),
      },
    };
    const inventoryFile = path.join(installation.root, "inventory.json");
    writeFileSync(inventoryFile, JSON.stringify(inventory, null, 2));
    await installation.run(["infra:render", "--inventory", inventoryFile, "--out", out]);

    const secrets = parseEnv(readFileSync(path.join(out, "secrets.env")));
    installation.writeSharedEnv({
      APP_KEY: generateAppKey(),
      MARG_APPS: APPS.join(","),
      MARG_DOMAIN: "marg.test",
      SESSION_DOMAIN: ".marg.test",
      SESSION_DRIVER: "redis",
      CACHE_STORE: "redis",
      QUEUE_CONNECTION: "redis",
      REDIS_PREFIX: redis.prefix,
      STORAGE_PATH: path.join(installation.root, "storage"),
      LOG_LEVEL: "info",
      // Loopback is not allowed: Prometheus gets in with the rendered token only.
      METRICS_ALLOW: "192.0.2.1",
      METRICS_TOKEN: secrets.METRICS_TOKEN ?? "",
    });
    // The rendered command is <root>/packages/cli/bin/marg-compiled.js: the checkout's code, linked in.
    symlinkSync(path.join(REPO_ROOT, "packages"), path.join(installation.root, "packages"));
    symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(installation.root, "node_modules"));
    mkdirSync(logDir, { recursive: true });
    supervisord = startSupervisord({
      dir: path.join(installation.root, "supervisor"),
      include: supervisorConf,
      logDir,
    });
    prometheus = await startPrometheus(conf);
  }, 240_000);

  afterAll(async () => {
    await prometheus?.stop();
    await supervisord?.stop();
    await redis.clear();
    installation.remove();
  });

  it("renders a scrape config promtool accepts, with no warning about unscraped apps", async () => {
    expect(await promtool(["check", "config", conf])).toContain("SUCCESS");
    expect(readFileSync(supervisorConf, "utf8")).toContain(`APP_METRICS_HOST="${SECOND}"`);
  });

  it("lists every app of both servers, and finds box-2's up on box-2's address through the token", async () => {
    const wanted = APPS.map((_, index) => `${SECOND}:${appMetricsBase + index}`);
    const deadline = Date.now() + 120_000;
    let apps: PrometheusTarget[] = [];
    for (;;) {
      apps = ((await prometheus?.targets()) ?? []).filter((target) => target.job === "marg-apps");
      const up = apps.filter((target) => wanted.includes(target.instance) && target.health === "up");
      if (up.length === wanted.length) break;
      if (Date.now() > deadline)
        throw new Error(`box-2's apps never came up: ${JSON.stringify(apps)}\n${supervisord?.logs()}`);
      await new Promise((resolve) => setTimeout(resolve, 250));
    }
    expect(apps.map((target) => target.instance).sort()).toEqual(
      [...APPS.map((_, index) => `127.0.0.1:${appMetricsBase + index}`), ...wanted].sort(),
    );
  }, 150_000);
});
