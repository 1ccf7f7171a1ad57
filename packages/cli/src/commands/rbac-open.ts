import { existsSync } from "node:fs";
import type { MargConfig } from "@marg/core/config";
import { createDatabases, type Databases, isConnectionError } from "@marg/core/db";
import { MargError } from "@marg/core/errors";
import { createLogger } from "@marg/core/logging";
import { createRedisConnections, type RedisConnections } from "@marg/core/redis";
import type { Kysely } from "kysely";
import type { CliContext } from "../cli-context.js";
import {
  AccessChangePolicy,
  type AccessPolicyTables,
  type AccountEventLog,
  type ApiTokenService,
  type AuditDatabase,
  AuditLog,
  type AuthDatabase,
  auditAccountEventLog,
  type CacheStore,
  type CacheTables,
  createApiTokenService,
  DatabaseCacheStore,
  type DirectoryTables,
  RbacRepository,
  RbacService,
  type RbacTables,
  RedisCacheStore,
  SqlUserDirectory,
  SUPER_ADMIN_ROLE,
} from "./rbac-core.js";

// Opening the RBAC database and the cache's Redis needs the platform; withRbac loads this file
// when an rbac:* command runs, so declaring the commands loads none of it.

/** What an rbac:* command works with; `close()` releases every connection. */
export interface RbacCommandContext {
  readonly config: MargConfig;
  readonly rbac: RbacService;
  readonly repository: RbacRepository;
  readonly users: SqlUserDirectory;
  /** The admin app's access-change policy, read-only here: the CLI is the operator's root path and only warns. */
  readonly policy: AccessChangePolicy;
  /** `super-admin`, from core (here, where core is loaded anyway). */
  readonly superAdminRole: string;
  /** `redis`, `database`, or undefined when no shared cache is reachable from here (CACHE_STORE=memory). */
  readonly cacheDriver: string | undefined;
  /** Personal API tokens (`marg token:*`); revoking drops the servers' cached lookups. */
  readonly tokens: ApiTokenService;
  /** The audit trail's account events (token.created, token.revoked), as the apps record them. */
  readonly events: AccountEventLog;
  close(): Promise<void>;
}

type AllTables = RbacTables & CacheTables & DirectoryTables;

// One connection holds RBAC's, the cache's and auth's tables; each part sees its own.
const view = <T>(db: Kysely<AllTables>) => db as unknown as Kysely<T>;

/** Opens the shared `rbac` connection, with a clear message when it has no RBAC tables yet. */
async function openRbacDatabase(
  config: MargConfig,
): Promise<{ databases: Databases; db: Kysely<AllTables> }> {
  const conn = config.db.connections.rbac;
  if (conn.driver === "sqlite" && !existsSync(conn.filename)) {
    throw new MargError(
      "E_DB_UNAVAILABLE",
      `The RBAC database ${conn.filename} does not exist yet; run \`marg migrate\` (and \`marg db:seed\`) first.`,
      { status: 503 },
    );
  }
  // Changes and fresh reads both belong on the primary.
  const databases = createDatabases(config, { readReplicas: false });
  const db = databases.connection<AllTables>("rbac");
  try {
    await db.selectFrom("roles").select("id").limit(1).execute();
  } catch (error) {
    await databases.destroy();
    if (isConnectionError(error)) throw error;
    throw new MargError(
      "E_DB_UNAVAILABLE",
      `Cannot read the RBAC tables of ${conn.database} (${(error as Error).message}); run \`marg migrate\`.`,
      { status: 503, cause: error },
    );
  }
  return { databases, db };
}

/** The cache's Redis: CACHE_REDIS_HOST when set, else the main one. Outages surface as the store's warnings. */
function openCacheRedis(config: MargConfig): RedisConnections {
  const target = config.cache.redis ?? config.redis;
  const logger = createLogger({ app: config.app, log: { level: "silent" } });
  return createRedisConnections({ ...target, prefix: config.redis.prefix }, { logger });
}

export async function openRbacCommandContext(ctx: CliContext): Promise<RbacCommandContext> {
  const config = ctx.config();
  const { databases, db } = await openRbacDatabase(config);
  let redis: RedisConnections | undefined;
  let store: CacheStore | undefined;
  if (config.cache.store === "redis") {
    redis = openCacheRedis(config);
    store = new RedisCacheStore({ client: redis.client, prefix: redis.prefixed(`${config.cache.prefix}:`) });
  } else if (config.cache.store === "database") {
    store = new DatabaseCacheStore({ db: view<CacheTables>(db), prefix: `${config.cache.prefix}:` });
  }
  const users = new SqlUserDirectory(view<DirectoryTables>(db));
  const repository = new RbacRepository(view<RbacTables>(db));
  const rbac = new RbacService({
    repository,
    users,
    cacheEnabled: config.rbac.cacheEnabled,
    ttlSeconds: config.rbac.cacheTtlSeconds,
    ...(store === undefined ? {} : { store }),
  });
  return {
    config,
    rbac,
    repository,
    users,
    policy: new AccessChangePolicy(view<AccessPolicyTables>(db)),
    superAdminRole: SUPER_ADMIN_ROLE,
    cacheDriver: store?.driver,
    tokens: createApiTokenService({ db: view<AuthDatabase>(db), rbac, cache: store }),
    // A failed audit write does not undo the token change; the operator is told on stderr.
    events: auditAccountEventLog(new AuditLog(view<AuditDatabase>(db)), {
      error: (_fields, message) => ctx.output(false).warn(message),
    }),
    async close() {
      rbac.close();
      await redis?.quit();
      await databases.destroy();
    },
  };
}
