import { writeFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import {
  createScratchMysqlDatabase,
  createTempDir,
  type RedisServerProcess,
  type ScratchDatabase,
  startRedisServer,
  startTcpProxy,
  type TcpProxy,
  TEST_MYSQL,
} from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { MARG_BIN, type RunningProcess, startProcess } from "../support/spawn-process.js";

// Debian's HAProxy in front of a real `marg serve flow`, checking it the way the
// seed's load balancer does (`option httpchk GET /health`). The app's Redis is a
// redis-server this suite starts and kills; its MySQL is reached through a TCP
// forwarder this suite cuts. HAProxy's own view (its stats socket) must say
// DOWN while either is gone, and UP again once it is back.

const HAPROXY = "/usr/sbin/haproxy";
const temp = createTempDir("haproxy");
const socketPath = path.join(temp.path, "haproxy.sock");
let database: ScratchDatabase;
let mysqlProxy: TcpProxy;
let redis: RedisServerProcess;
let redisPort = 0;
let appPort = 0;
let lbPort = 0;
let app: RunningProcess;
let haproxy: RunningProcess;

/** One command on HAProxy's runtime API. */
function runtime(command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(socketPath);
    let text = "";
    socket.on("data", (chunk) => {
      text += chunk.toString();
    });
    socket.on("end", () => resolve(text));
    socket.on("error", reject);
    socket.write(`${command}\n`);
  });
}

/** The health status HAProxy holds for the app server: "UP", "DOWN", "UP 1/2"… */
async function serverStatus(): Promise<string> {
  const [header = "", ...rows] = (await runtime("show stat")).trim().split("\n");
  const columns = header.replace(/^# /, "").split(",");
  const row = rows.map((line) => line.split(",")).find((cells) => cells[0] === "flow" && cells[1] === "app1");
  return row?.[columns.indexOf("status")] ?? "missing";
}

async function eventually(what: string, check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}; app output:\n${app?.output().slice(-2000)}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const statusIs = (expected: "UP" | "DOWN") => async () => (await serverStatus()) === expected;

async function throughLoadBalancer(url: string): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${lbPort}${url}`, { redirect: "manual" });
  await response.arrayBuffer();
  return response.status;
}

describe("HAProxy's httpchk against /health", () => {
  beforeAll(async () => {
    [redisPort, appPort, lbPort] = [await freePort(), await freePort(), await freePort()];
    redis = await startRedisServer({ port: redisPort });
    database = await createScratchMysqlDatabase("haproxy");
    mysqlProxy = await startTcpProxy(TEST_MYSQL);
    const env: Record<string, string> = {
      APP_KEY: `base64:${Buffer.alloc(32, 9).toString("base64")}`,
      APP_ENV: "testing",
      MARG_APPS: "flow",
      SESSION_DOMAIN: ".marg.test",
      SESSION_DRIVER: "redis",
      CACHE_STORE: "redis",
      QUEUE_CONNECTION: "redis",
      REDIS_HOST: "127.0.0.1",
      REDIS_PORT: String(redisPort),
      DB_CONNECTION: "mysql",
      DB_HOST: "127.0.0.1",
      DB_PORT: String(mysqlProxy.port),
      DB_USERNAME: TEST_MYSQL.user,
      ...(TEST_MYSQL.password === "" ? {} : { DB_PASSWORD: TEST_MYSQL.password }),
      DB_DATABASE: database.name,
      RBAC_DB_DATABASE: database.name,
      BUSINESS_DB_DATABASE: database.name,
      STORAGE_PATH: path.join(temp.path, "storage"),
      LOG_LEVEL: "warn",
    };
    writeFileSync(
      path.join(temp.path, ".env.shared"),
      `${Object.entries(env)
        .map(([key, value]) => `${key}=${value}`)
        .join("\n")}\n`,
      { mode: 0o600 },
    );
    app = startProcess(
      "node",
      [MARG_BIN, "serve", "flow", "--port", String(appPort), "--host", "127.0.0.1"],
      {
        env: { MARG_ROOT: temp.path },
      },
    );
    await eventually("marg serve to answer", async () => {
      const response = await fetch(`http://127.0.0.1:${appPort}/health`);
      return response.status === 200;
    });

    const config = path.join(temp.path, "haproxy.cfg");
    writeFileSync(
      config,
      [
        "global",
        `    stats socket ${socketPath} mode 600 level admin`,
        "defaults",
        "    mode http",
        "    timeout connect 1s",
        "    timeout client 5s",
        "    timeout server 5s",
        "    timeout check 2s",
        "frontend marg_http",
        `    bind 127.0.0.1:${lbPort}`,
        "    default_backend flow",
        "backend flow",
        "    balance roundrobin",
        "    option httpchk GET /health",
        "    http-check send hdr Host flow.marg.test",
        "    http-check expect status 200",
        // Short intervals so the suite takes seconds; production uses inter 3s fall 3 rise 2.
        "    default-server inter 300ms fall 2 rise 2",
        `    server app1 127.0.0.1:${appPort} check`,
        "",
      ].join("\n"),
    );
    haproxy = startProcess(HAPROXY, ["-db", "-f", config]);
    await eventually("HAProxy to see the app UP", statusIs("UP"));
  }, 120_000);

  afterAll(async () => {
    await haproxy?.stop(5000);
    await app?.stop();
    await redis?.stop();
    await mysqlProxy?.cut();
    await database?.drop();
    temp.remove();
  });

  it("keeps a healthy app in rotation: requests through HAProxy reach it", async () => {
    expect(await serverStatus()).toBe("UP");
    expect(await throughLoadBalancer("/health")).toBe(200);
    expect(await throughLoadBalancer("/login")).toBe(200);
  });

  it("takes the app out of rotation when its Redis goes away, and back when Redis returns", async () => {
    await redis.stop();
    await eventually("HAProxy to mark the app DOWN", statusIs("DOWN"));
    expect(await throughLoadBalancer("/login")).toBe(503);
    expect(await fetch(`http://127.0.0.1:${appPort}/health/live`).then((r) => r.status)).toBe(200);

    redis = await startRedisServer({ port: redisPort });
    await eventually("HAProxy to mark the app UP again", statusIs("UP"));
    expect(await throughLoadBalancer("/login")).toBe(200);
  });

  it("takes the app out of rotation when its database becomes unreachable, and back when it returns", async () => {
    await mysqlProxy.cut();
    await eventually("HAProxy to mark the app DOWN", statusIs("DOWN"));
    const direct = await fetch(`http://127.0.0.1:${appPort}/health`);
    expect(direct.status).toBe(503);
    expect(await direct.json()).toMatchObject({
      status: "unhealthy",
      database: "disconnected",
      redis: "connected",
    });

    await mysqlProxy.restore();
    await eventually("HAProxy to mark the app UP again", statusIs("UP"));
    expect(await throughLoadBalancer("/health")).toBe(200);
  });
});
