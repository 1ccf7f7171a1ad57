import { copyFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  loadExample,
  type RenderedFleet,
  renderToTemp,
  tweakExample,
  useLoopbackAddresses,
} from "../testing/example-fleets.js";
import { freePort } from "../testing/free-port.js";
import { type BackgroundProcess, runTool, startBackground, waitFor } from "../testing/run-tool.js";

/**
 * Starts redis-server and Sentinel with the rendered files on free loopback
 * ports. Only where a file names this machine's disk or the fleet's address
 * (port, bind, dir, logfile, pidfile) does the command line override it.
 */
const temp = createTempDir("deploy-redis");
const processes: BackgroundProcess[] = [];
let phase2: RenderedFleet;
let phase4: RenderedFleet;
const ports = { main: 0, cache: 0, ha: 0, sentinel: 0 };

function startRedis(
  conf: string,
  port: number,
  bind: string,
  label: string,
  sentinel = false,
): BackgroundProcess {
  const dir = path.join(temp.path, label);
  runTool("mkdir", ["-p", dir]);
  const args = [conf, ...(sentinel ? ["--sentinel"] : [])];
  args.push(
    "--port",
    String(port),
    "--bind",
    bind,
    "--dir",
    dir,
    "--logfile",
    "",
    "--pidfile",
    `${dir}/redis.pid`,
  );
  const started = startBackground("redis-server", [...args, "--daemonize", "no"]);
  processes.push(started);
  return started;
}

/** redis-cli, with the password from the environment (never argv); returns what it printed. */
function cli(port: number, password: string | undefined, args: string[], host = "127.0.0.1"): string {
  const { REDISCLI_AUTH: _inherited, ...rest } = process.env;
  const env = password === undefined ? rest : { ...rest, REDISCLI_AUTH: password };
  const result = runTool("redis-cli", ["-h", host, "-p", String(port), ...args], { env });
  return result.output.replace(/\n$/, "");
}

async function ready(port: number, password: string, host = "127.0.0.1"): Promise<void> {
  await waitFor(`redis on ${host}:${port}`, () => cli(port, password, ["PING"], host) === "PONG");
}

function configGet(port: number, password: string, name: string): string | undefined {
  return cli(port, password, ["CONFIG", "GET", name]).split("\n")[1];
}

beforeAll(async () => {
  ports.main = await freePort();
  ports.cache = await freePort();
  ports.ha = await freePort();
  ports.sentinel = await freePort();
  phase2 = renderToTemp(loadExample("phase2-four-servers").fleet, "redis2");
  startRedis(phase2.file("redis-1/etc/redis/redis.conf"), ports.main, "127.0.0.1", "main");
  startRedis(phase2.file("redis-1/etc/redis/redis-cache.conf"), ports.cache, "127.0.0.1", "cache");

  // Phase 4 on loopback: redis-1 on 127.0.0.1, redis-2 on another 127.0.0.x, same port.
  const fleet = tweakExample("phase4-ha", (inventory) => {
    useLoopbackAddresses(inventory, "redis-1");
    inventory.redis.port = ports.ha;
    inventory.redis.sentinel.port = ports.sentinel;
  });
  phase4 = renderToTemp(fleet, "redis4");
  const replica = fleet.redis.replicas[0];
  if (replica === undefined) throw new Error("phase 4 has no Redis replica");
  startRedis(phase4.file("redis-1/etc/redis/redis.conf"), ports.ha, "127.0.0.1", "ha-master");
  startRedis(phase4.file(`${replica.name}/etc/redis/redis.conf`), ports.ha, replica.address, "ha-replica");
  await ready(ports.main, phase2.secrets.REDIS_PASSWORD);
  await ready(ports.cache, phase2.secrets.CACHE_REDIS_PASSWORD);
  await ready(ports.ha, phase4.secrets.REDIS_PASSWORD);
  // Sentinel rewrites its file, so it gets a copy.
  const sentinelConf = path.join(temp.path, "sentinel.conf");
  copyFileSync(phase4.file("redis-1/etc/redis/sentinel.conf"), sentinelConf);
  startRedis(sentinelConf, ports.sentinel, "127.0.0.1", "sentinel", true);
  await ready(ports.sentinel, phase4.secrets.REDIS_SENTINEL_PASSWORD);
});

afterAll(async () => {
  await Promise.all(processes.map((process) => process.stop()));
  phase2?.remove();
  phase4?.remove();
  temp.remove();
});

describe("redis-server with the rendered redis.conf (sessions + queues)", () => {
  const password = () => phase2.secrets.REDIS_PASSWORD;

  it("refuses a client without the password", () => {
    expect(cli(ports.main, undefined, ["PING"])).toMatch(/NOAUTH/);
  });

  it("never evicts (noeviction), and persists with RDB plus an AOF fsynced every second", () => {
    expect(configGet(ports.main, password(), "maxmemory-policy")).toBe("noeviction");
    expect(configGet(ports.main, password(), "appendonly")).toBe("yes");
    expect(configGet(ports.main, password(), "appendfsync")).toBe("everysec");
    expect(configGet(ports.main, password(), "save")).toBe("900 1 300 10 60 10000");
    // 40% of redis-1's 1G, which it shares with the cache instance.
    expect(configGet(ports.main, password(), "maxmemory")).toBe(String(409 * 1024 * 1024));
  });

  it("is backed up by the rendered marg-redis-backup script (RDB and AOF copied)", () => {
    const backups = path.join(temp.path, "backups");
    const run = runTool("bash", [phase2.file("redis-1/usr/local/sbin/marg-redis-backup")], {
      env: {
        ...process.env,
        MARG_BACKUP_DIR: backups,
        MARG_REDIS_CONF: phase2.file("redis-1/etc/redis/redis.conf"),
        MARG_REDIS_PORT: String(ports.main),
        MARG_REDIS_DATA: path.join(temp.path, "main"),
      },
      timeoutMs: 30_000,
    });
    expect(run.status, run.output).toBe(0);
    const written = readdirSync(backups);
    expect(written.some((name) => /^dump_\d{8}_\d{6}\.rdb$/.test(name))).toBe(true);
    expect(written.some((name) => name.startsWith("aof_"))).toBe(true);
  });
});

describe("redis-server with the rendered redis-cache.conf", () => {
  it("evicts least-recently-used keys and keeps nothing on disk", () => {
    const password = phase2.secrets.CACHE_REDIS_PASSWORD;
    expect(configGet(ports.cache, password, "maxmemory-policy")).toBe("allkeys-lru");
    expect(configGet(ports.cache, password, "appendonly")).toBe("no");
    expect(configGet(ports.cache, password, "save")).toBe("");
  });

  it("has a password of its own: the sessions password does not open it", () => {
    expect(cli(ports.cache, phase2.secrets.REDIS_PASSWORD, ["PING"])).toMatch(/WRONGPASS/);
  });
});

describe("phase 4: a replica and redis-sentinel with the rendered files", () => {
  it("the replica syncs from the master with masterauth", async () => {
    const host = phase4.fleet.redis.replicas[0]?.address;
    const info = () => cli(ports.ha, phase4.secrets.REDIS_PASSWORD, ["INFO", "replication"], host);
    await waitFor("the replica's link to its master", () => info().includes("master_link_status:up"));
    expect(info()).toContain(`master_port:${ports.ha}`);
  });

  it("Sentinel answers only with its password and watches the master with auth-pass", async () => {
    expect(cli(ports.sentinel, undefined, ["PING"])).toMatch(/NOAUTH/);
    const password = phase4.secrets.REDIS_SENTINEL_PASSWORD;
    const service = phase4.fleet.inventory.redis.sentinel.service;
    const master = cli(ports.sentinel, password, ["SENTINEL", "get-master-addr-by-name", service]);
    expect(master.split("\n")).toEqual(["127.0.0.1", String(ports.ha)]);
    const fields = () => {
      const lines = cli(ports.sentinel, password, ["SENTINEL", "master", service]).split("\n");
      return Object.fromEntries(
        lines.flatMap((value, index) => (index % 2 === 0 ? [[value, lines[index + 1]]] : [])),
      );
    };
    // flags stay "master" (not s_down or disconnected) only if auth-pass is right.
    await waitFor("Sentinel to see the master and its replica", () => {
      const info = fields();
      return info.flags === "master" && info["num-slaves"] === "1";
    });
    expect(fields().quorum).toBe("2");
  });
});
