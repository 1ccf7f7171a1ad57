import { once } from "node:events";
import { Redis } from "ioredis";
import { MargError } from "../errors/index.js";
import { type RedisLogger, RedisOutageMonitor } from "./outage-monitor.js";
import { buildRedisOptions, describeEndpoint } from "./redis-options.js";
import type { RedisConnections, RedisRole, RedisSettings, RedisTuning } from "./types.js";

export interface CreateRedisConnectionsOptions {
  logger: RedisLogger;
  tuning?: RedisTuning;
}

/**
 * Opens MARG's Redis connections from `config.redis`: standalone, or through
 * Sentinel when REDIS_SENTINELS is set. Connections retry forever with capped
 * backoff and never crash the process; an outage is logged once, and again
 * when Redis is back.
 *
 * @example
 * const redis = createRedisConnections(config.redis, { logger });
 * await redis.client.set(redis.prefixed("greeting"), "hello");
 * const queue = new Queue("mail", { connection: redis.bullmqConnection(), prefix: redis.prefixed("bull") });
 * await redis.quit();
 */
export function createRedisConnections(
  settings: RedisSettings,
  options: CreateRedisConnectionsOptions,
): RedisConnections {
  const tuning = options.tuning ?? {};
  const endpoint = describeEndpoint(settings);
  const secrets = [settings.password?.reveal() ?? "", settings.sentinelPassword?.reveal() ?? ""];
  const monitor = new RedisOutageMonitor(options.logger, endpoint, secrets);
  const opened = new Set<Redis>();

  const open = (role: RedisRole): Redis => {
    const client = new Redis(buildRedisOptions(settings, role, tuning));
    monitor.watch(client, role);
    opened.add(client);
    return client;
  };

  const client = open("commands");
  let subscriber: Redis | undefined;

  return {
    client,
    prefix: settings.prefix,
    endpoint,
    prefixed: (key) => `${settings.prefix}${key}`,
    subscriber: () => {
      subscriber ??= open("subscriber");
      return subscriber;
    },
    bullmqConnection: () => open("bullmq"),
    ping: (timeoutMs = 1000) => pingWithin(client, timeoutMs, endpoint),
    async quit() {
      const all = [...opened];
      opened.clear();
      for (const each of all) monitor.forget(each);
      await Promise.all(all.map((each) => closeClient(each)));
    },
  };
}

async function pingWithin(client: Redis, timeoutMs: number, endpoint: string): Promise<number> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([client.ping(), timeout]);
    return performance.now() - started;
  } catch (error) {
    const cause = error instanceof Error ? error.message : String(error);
    throw new MargError(
      "E_REDIS_UNAVAILABLE",
      `Redis at ${endpoint} did not answer PING (${cause}). Check that Redis is running and reachable.`,
      { status: 503, cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}

/**
 * QUIT lets queued replies arrive; a connection still connecting is dropped.
 * Either way we wait (briefly) for the socket to close, so nothing answers
 * after quit() resolves. A connection between retries has no socket to wait for.
 */
async function closeClient(client: Redis): Promise<void> {
  const status = client.status;
  if (status === "end") return;
  const ended = once(client, "end").then(
    () => undefined,
    () => undefined,
  );
  if (status === "ready") client.quit().catch(() => client.disconnect());
  else client.disconnect();
  if (status !== "ready" && status !== "connect" && status !== "connecting") return;
  let timer: NodeJS.Timeout | undefined;
  const giveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, 1000);
  });
  await Promise.race([ended, giveUp]);
  clearTimeout(timer);
  client.disconnect(); // no-op once the socket has closed
}
