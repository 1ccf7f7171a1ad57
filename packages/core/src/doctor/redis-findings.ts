import { Redis } from "ioredis";
import type { RedisConnectionConfig } from "../config/config-types.js";
import {
  type DoctorCheck,
  type DoctorContext,
  type Finding,
  fail,
  loadedConfigs,
  ok,
  warn,
} from "./types.js";

const SEPARATE_INSTANCE =
  "Set `maxmemory-policy noeviction` on this Redis (writes fail loudly when full, nothing is silently lost) and give the cache its own instance with allkeys-lru (CACHE_REDIS_HOST); " +
  "if one instance must serve both, volatile-lru at least never evicts queued jobs, which carry no TTL";

/** Reads one CONFIG value; undefined when CONFIG is disabled or renamed (managed Redis often does that). */
async function configValue(redis: Redis, name: string): Promise<string | undefined> {
  try {
    const reply = (await redis.call("CONFIG", "GET", name)) as string[];
    return reply[1];
  } catch {
    return undefined;
  }
}

/** Does this Redis answer a client that sends no password? */
async function acceptsWithoutPassword(target: RedisConnectionConfig): Promise<boolean | undefined> {
  if (target.sentinels.length > 0) return undefined;
  const probe = new Redis({
    host: target.host,
    port: target.port,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
    connectTimeout: 2000,
    enableReadyCheck: false,
  });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    return (await probe.ping()) === "PONG";
  } catch (error) {
    return /NOAUTH|WRONGPASS|Authentication required/i.test((error as Error).message) ? false : undefined;
  } finally {
    probe.disconnect();
  }
}

function checkPolicy(policy: string | undefined): Finding {
  if (policy === undefined) {
    return warn(
      "redis.maxmemory-policy",
      "cannot read maxmemory-policy (CONFIG is disabled here)",
      `Check it by hand: ${SEPARATE_INSTANCE}`,
    );
  }
  if (policy.startsWith("allkeys-")) {
    return warn(
      "redis.maxmemory-policy",
      `maxmemory-policy is ${policy} (the seed's setting): when memory fills, Redis evicts any key — queued jobs and live sessions included — and nothing reports it`,
      SEPARATE_INSTANCE,
    );
  }
  if (policy.startsWith("volatile-")) {
    return ok(
      "redis.maxmemory-policy",
      `maxmemory-policy is ${policy}: only keys with a TTL (cache, sessions) can be evicted, never queued jobs`,
    );
  }
  return ok("redis.maxmemory-policy", `maxmemory-policy is ${policy}`);
}

function checkPersistence(
  appendonly: string | undefined,
  save: string | undefined,
  holdsState: boolean,
): Finding {
  if (appendonly === undefined) {
    return warn(
      "redis.persistence",
      "cannot read persistence settings (CONFIG is disabled here)",
      "Check appendonly and save by hand",
    );
  }
  if (appendonly === "yes")
    return ok("redis.persistence", `append-only file on${save ? `, snapshots "${save}"` : ""}`);

  if (save !== undefined && save.trim() !== "") {
    return warn(
      "redis.persistence",
      `only RDB snapshots ("${save}"): a crash loses the queued jobs and sessions written since the last snapshot`,
      "Set `appendonly yes` (the seed does) in redis.conf, or `CONFIG SET appendonly yes` and `CONFIG REWRITE`",
    );
  }
  const make = holdsState ? fail : warn;
  return make(
    "redis.persistence",
    `no persistence (appendonly no, save ""): a restart loses every queued job and session`,
    "Set `appendonly yes` and the seed's `save 900 1 / 300 10 / 60 10000` in redis.conf",
  );
}

/** Redis: reachable, password, eviction policy, persistence. */
export const checkRedis: DoctorCheck = async (ctx: DoctorContext) => {
  const configs = loadedConfigs(ctx).map(({ config }) => config);
  const uses = [ctx.installation, ...configs].some((config) => config.redis.required);
  if (!uses) return [ok("redis.reachable", "not used (every driver is embedded)")];
  const { redis } = ctx;
  const target = ctx.installation.redis;
  try {
    if (redis === undefined) throw new Error("no connection");
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      redis.ping(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error("no answer within 3 s")), 3000);
      }),
    ]).finally(() => clearTimeout(timer));
  } catch (error) {
    return [
      fail(
        "redis.reachable",
        `Redis does not answer (${(error as Error).message})`,
        "Start it (`sudo systemctl start redis-server`), then check REDIS_HOST/REDIS_PORT and the firewall (ufw allow from <http-server-ip> to any port 6379)",
      ),
    ];
  }
  const findings: Finding[] = [ok("redis.reachable", "Redis answers PING")];
  const open = await acceptsWithoutPassword(target);
  if (open === true) {
    const make = ctx.installation.app.production ? fail : warn;
    findings.push(
      make(
        "redis.password",
        "Redis accepts clients without a password: anyone who reaches its port can read sessions and jobs",
        "Set `requirepass` in redis.conf and the same value as REDIS_PASSWORD in .env.shared",
      ),
    );
  } else if (open === false) findings.push(ok("redis.password", "Redis requires a password"));
  else
    findings.push(
      ok(
        "redis.password",
        target.password === undefined ? "not checked (Sentinel)" : "REDIS_PASSWORD is set",
      ),
    );

  const client = redis as Redis;
  const [policy, appendonly, save] = await Promise.all([
    configValue(client, "maxmemory-policy"),
    configValue(client, "appendonly"),
    configValue(client, "save"),
  ]);
  const holdsState = [ctx.installation, ...configs].some(
    (config) => config.queue.connection === "redis" || config.session.driver === "redis",
  );
  findings.push(checkPolicy(policy), checkPersistence(appendonly, save, holdsState));
  return findings;
};
