import { sql } from "kysely";
import type { MargConfig } from "../config/config-types.js";
import {
  type DoctorCheck,
  type DoctorContext,
  type Finding,
  fail,
  loadedConfigs,
  ok,
  warn,
} from "./types.js";

/** The settings every app must share for one login to work everywhere (the seed's "CRITICAL - must be identical"). */
const SHARED: readonly {
  id: string;
  label: string;
  value: (config: MargConfig) => string;
  onlyWithRedis?: boolean;
}[] = [
  { id: "session.app-key", label: "APP_KEY (fingerprint)", value: (c) => c.app.keyFingerprint },
  { id: "session.driver", label: "SESSION_DRIVER", value: (c) => c.session.driver },
  { id: "session.cookie-domain", label: "SESSION_DOMAIN", value: (c) => c.session.domain ?? "(unset)" },
  { id: "session.cookie-name", label: "SESSION_COOKIE", value: (c) => c.session.cookie },
  { id: "session.redis-prefix", label: "REDIS_PREFIX", value: (c) => c.redis.prefix, onlyWithRedis: true },
  {
    id: "session.redis-server",
    label: "Redis host:port/db",
    value: (c) =>
      c.redis.sentinels.length > 0
        ? `sentinel ${c.redis.sentinelService}/${c.redis.db}`
        : `${c.redis.host}:${c.redis.port}/${c.redis.db}`,
    onlyWithRedis: true,
  },
  {
    id: "session.rbac-database",
    label: "RBAC database",
    value: (c) => {
      const rbac = c.db.connections.rbac;
      return rbac.driver === "sqlite" ? rbac.filename : `${rbac.host}:${rbac.port}/${rbac.database}`;
    },
  },
];

function compareSettings(apps: { id: string; config: MargConfig }[]): Finding[] {
  const usesRedis = apps.some(({ config }) => config.session.driver === "redis");
  return SHARED.filter((setting) => usesRedis || setting.onlyWithRedis !== true).map((setting) => {
    const values = new Map<string, string[]>();
    for (const { id, config } of apps)
      values.set(setting.value(config), [...(values.get(setting.value(config)) ?? []), id]);
    if (values.size <= 1) {
      return ok(setting.id, `${setting.label} is the same in every app (${[...values.keys()][0] ?? "none"})`);
    }
    const spread = [...values].map(([value, ids]) => `${ids.join(", ")}: ${value}`).join("; ");
    return fail(
      setting.id,
      `${setting.label} differs between apps (${spread}): a session made by one app is not read by another`,
      `Set ${setting.label.split(" ")[0]} once, in .env.shared, and remove it from every apps/<app>/.env`,
    );
  });
}

/** SESSION_DOMAIN must cover every APP_URL, or the browser never sends the cookie to some apps. */
function checkDomain(apps: { id: string; config: MargConfig }[]): Finding {
  const domain = apps[0]?.config.session.domain;
  if (domain === undefined) {
    if (apps.length <= 1) return ok("session.domain-covers-apps", "one app: a host-only cookie is fine");
    return fail(
      "session.domain-covers-apps",
      "SESSION_DOMAIN is unset: the cookie is host-only, so signing in on one app does not sign you in on the others",
      `Set SESSION_DOMAIN=.${apps[0]?.config.app.domain ?? "marg.test"} in .env.shared`,
    );
  }
  const bare = domain.replace(/^\./, "").toLowerCase();
  const outside = apps.filter(({ config }) => {
    const host = URL.canParse(config.app.url) ? new URL(config.app.url).hostname.toLowerCase() : "";
    return host !== bare && !host.endsWith(`.${bare}`);
  });
  if (outside.length === 0)
    return ok("session.domain-covers-apps", `SESSION_DOMAIN ${domain} covers every APP_URL`);
  const list = outside.map(({ id, config }) => `${id} (${config.app.url})`).join(", ");
  return fail(
    "session.domain-covers-apps",
    `SESSION_DOMAIN ${domain} does not cover ${list}: the browser never sends the session cookie there`,
    `Put every app on a subdomain of ${bare} (APP_URL) or set SESSION_DOMAIN to their common parent domain`,
  );
}

/** The seed's `KEYS marg_database_*`, done with SCAN (never KEYS: it blocks Redis). */
async function countRedisSessions(ctx: DoctorContext, config: MargConfig): Promise<Finding> {
  const pattern = `${config.redis.prefix}session:*`;
  if (ctx.redis === undefined) {
    return fail(
      "session.keys",
      "SESSION_DRIVER=redis but no Redis connection could be opened",
      "See redis.reachable",
    );
  }
  try {
    let cursor = "0";
    let found = 0;
    let rounds = 0;
    do {
      const [next, keys] = await ctx.redis.scan(cursor, "MATCH", pattern, "COUNT", 1000);
      cursor = next;
      found += keys.length;
      rounds += 1;
    } while (cursor !== "0" && rounds < 50 && found < 1000);
    if (found > 0)
      return ok("session.keys", `${found}${cursor === "0" ? "" : "+"} sessions in Redis under ${pattern}`);
    if (cursor !== "0") {
      return warn(
        "session.keys",
        `no sessions in Redis under ${pattern} among the first ${rounds * 1000} keys scanned (the database holds more)`,
        "Run doctor again, or check with `redis-cli --scan --pattern` on a quiet moment",
      );
    }
    return warn(
      "session.keys",
      `no sessions in Redis under ${pattern}: nobody is signed in, or the apps write somewhere else`,
      "Sign in once and run doctor again; if still none, compare REDIS_HOST, REDIS_DB and REDIS_PREFIX of the apps",
    );
  } catch (error) {
    return fail(
      "session.keys",
      `could not scan Redis for sessions (${(error as Error).message})`,
      "See redis.reachable",
    );
  }
}

async function countDatabaseSessions(ctx: DoctorContext, config: MargConfig): Promise<Finding> {
  try {
    const db = ctx.databasesFor(config).connection<{ sessions: { expires_at: number } }>("rbac");
    const row = await db
      .selectFrom("sessions")
      .select(sql<number>`count(*)`.as("live"))
      .where("expires_at", ">", ctx.now())
      .executeTakeFirst();
    const live = Number(row?.live ?? 0);
    if (live > 0) return ok("session.keys", `${live} live sessions in the sessions table`);
    return warn(
      "session.keys",
      "no live sessions in the sessions table: nobody is signed in, or the apps use different rbac databases",
      "Sign in once and run doctor again; if still none, compare RBAC_DB_* of the apps",
    );
  } catch (error) {
    return fail(
      "session.keys",
      `could not read the sessions table (${(error as Error).message})`,
      "Run `marg migrate`",
    );
  }
}

/** The seed's "Session Not Shared Between Apps" section, as findings. */
export const checkSessionSharing: DoctorCheck = async (ctx) => {
  const apps = loadedConfigs(ctx);
  if (apps.length === 0) return [];
  const first = apps[0]?.config as MargConfig;
  const keys =
    first.session.driver === "redis"
      ? await countRedisSessions(ctx, first)
      : await countDatabaseSessions(ctx, first);
  return [...compareSettings(apps), checkDomain(apps), keys];
};
