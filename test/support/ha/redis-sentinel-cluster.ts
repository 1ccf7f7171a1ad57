/**
 * Phase 4's Redis on loopback, from files rendered for phase4-ha.yml: the primary
 * (redis-1's redis.conf), one replica (redis-2's, with its rendered `replicaof`)
 * and three Sentinels (each server's sentinel.conf, copied: Sentinel rewrites it).
 * Only what names the fleet's machines is overridden on the command line: port,
 * bind, dir, logfile, pidfile. Each process sits on its own port of 127.0.0.1, so
 * what the primary reports about its replica (ip and port) is reachable as is.
 */
import { copyFileSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import {
  type BackgroundProcess,
  freePort,
  type RenderedFleet,
  renderToTemp,
  runTool,
  startBackground,
  tweakExample,
  waitFor,
} from "@marg/deploy/testing";
import { parse } from "dotenv";

export interface RedisNode {
  readonly name: string;
  readonly port: number;
  process: BackgroundProcess;
}

export interface SentinelCluster {
  readonly primary: RedisNode;
  readonly replica: RedisNode;
  readonly sentinels: readonly RedisNode[];
  /** The REDIS_* lines of the rendered .env.shared, with REDIS_SENTINELS pointing at the loopback Sentinels. */
  readonly env: Readonly<Record<string, string>>;
  readonly service: string;
  /** `redis-cli` against a data node (with the Redis password); returns its output. */
  cli(port: number, ...args: string[]): string;
  /** The port Sentinels name as the master now ("" if they cannot say). */
  masterPort(): string;
  /** SIGSTOP / SIGCONT every Sentinel: unreachable (connections hang), then back with its state. */
  freezeSentinels(): void;
  thawSentinels(): void;
  /** kill -9 a data node (a crashed server). */
  kill(node: RedisNode): void;
  /** Starts a killed data node again from its rendered file; Sentinel makes it a replica of the new master. */
  restart(node: RedisNode): void;
  /** `SENTINEL FAILOVER`: the master is demoted while it keeps running (its clients then get READONLY). */
  failover(): string;
  /** `SENTINEL master` fields as Sentinel reports them. */
  masterInfo(): Record<string, string>;
  stop(): Promise<void>;
}

function start(conf: string, port: number, dir: string, sentinel: boolean): BackgroundProcess {
  mkdirSync(dir, { recursive: true });
  const args = [conf, ...(sentinel ? ["--sentinel"] : [])];
  args.push("--port", String(port), "--bind", "127.0.0.1", "--dir", dir, "--logfile", "");
  args.push("--pidfile", path.join(dir, "redis.pid"), "--daemonize", "no");
  return startBackground("redis-server", args);
}

function redisCli(port: number, password: string, args: readonly string[]): string {
  const { REDISCLI_AUTH: _inherited, ...rest } = process.env;
  const result = runTool("redis-cli", ["-h", "127.0.0.1", "-p", String(port), ...args], {
    env: { ...rest, REDISCLI_AUTH: password },
  });
  return result.output.trim();
}

export async function startSentinelCluster(dir: string): Promise<SentinelCluster> {
  const [primaryPort, replicaPort, ...sentinelPorts] = await Promise.all(
    Array.from({ length: 5 }, () => freePort()),
  );
  if (primaryPort === undefined || replicaPort === undefined) throw new Error("no free ports");
  const rendered: RenderedFleet = renderToTemp(
    tweakExample("phase4-ha", (inventory) => {
      inventory.redis.port = primaryPort;
      for (const server of inventory.servers) if (server.name === "redis-1") server.address = "127.0.0.1";
    }),
    "ha-sentinel",
  );
  const { secrets, fleet } = rendered;
  const password = secrets.REDIS_PASSWORD;
  const sentinelPassword = secrets.REDIS_SENTINEL_PASSWORD;
  const service = fleet.inventory.redis.sentinel.service;
  const replicaServer = fleet.redis.replicas[0];
  if (replicaServer === undefined) throw new Error("phase 4 renders no Redis replica");
  const nodes: RedisNode[] = [];
  const launch = (name: string, conf: string, port: number, sentinel: boolean) => {
    const node = { name, port, process: start(conf, port, path.join(dir, name), sentinel) };
    nodes.push(node);
    return node;
  };
  try {
    const primary = launch("redis-1", rendered.file("redis-1/etc/redis/redis.conf"), primaryPort, false);
    const replica = launch(
      replicaServer.name,
      rendered.file(`${replicaServer.name}/etc/redis/redis.conf`),
      replicaPort,
      false,
    );
    await waitFor("the replica in sync", () =>
      redisCli(replica.port, password, ["INFO", "replication"]).includes("master_link_status:up"),
    );
    const sentinelServers = fleet.servers.filter((server) => server.roles.includes("sentinel")).slice(0, 3);
    const sentinels = sentinelServers.map((server, index) => {
      const copy = path.join(dir, `sentinel-${server.name}.conf`);
      copyFileSync(rendered.file(`${server.name}/etc/redis/sentinel.conf`), copy);
      return launch(`sentinel-${server.name}`, copy, sentinelPorts[index] ?? 0, true);
    });
    const confs = new Map([
      [primary.name, rendered.file("redis-1/etc/redis/redis.conf")],
      [replica.name, rendered.file(`${replicaServer.name}/etc/redis/redis.conf`)],
    ]);
    const ask = (...args: string[]) => redisCli(sentinels[0]?.port ?? 0, sentinelPassword, args);
    const masterInfo = () => {
      const lines = ask("SENTINEL", "master", service).split("\n");
      return Object.fromEntries(
        lines.flatMap((value, index) => (index % 2 === 0 ? [[value, lines[index + 1] ?? ""]] : [])),
      );
    };
    const masterPort = () =>
      redisCli(sentinels[0]?.port ?? 0, sentinelPassword, [
        "SENTINEL",
        "get-master-addr-by-name",
        service,
      ]).split("\n")[1] ?? "";
    await waitFor(
      "three Sentinels that know each other and the replica",
      () => {
        const info = masterInfo();
        return info["num-other-sentinels"] === "2" && info["num-slaves"] === "1" && info.flags === "master";
      },
      30_000,
    );
    const renderedEnv = parse(readFileSync(rendered.file("http-1/srv/marg/.env.shared")));
    const env = Object.fromEntries(Object.entries(renderedEnv).filter(([name]) => name.startsWith("REDIS_")));
    env.REDIS_SENTINELS = sentinels.map((node) => `127.0.0.1:${node.port}`).join(",");
    const signal = (name: NodeJS.Signals) => {
      for (const node of sentinels) node.process.child.kill(name);
    };
    return {
      primary,
      replica,
      sentinels,
      env,
      service,
      cli: (port, ...args) => redisCli(port, password, args),
      masterPort,
      freezeSentinels: () => signal("SIGSTOP"),
      thawSentinels: () => signal("SIGCONT"),
      kill: (node) => node.process.child.kill("SIGKILL"),
      restart(node) {
        const { child } = node.process;
        // Never orphan a live server: restarting one that still runs would leak it.
        if (child.exitCode === null && child.signalCode === null)
          throw new Error(`${node.name} is still running`);
        node.process = start(confs.get(node.name) ?? "", node.port, path.join(dir, node.name), false);
      },
      failover: () => ask("SENTINEL", "failover", service),
      masterInfo,
      async stop() {
        signal("SIGCONT");
        await Promise.all(nodes.map((node) => node.process.stop()));
        rendered.remove();
      },
    };
  } catch (error) {
    await Promise.all(nodes.map((node) => node.process.stop()));
    rendered.remove();
    throw error;
  }
}
