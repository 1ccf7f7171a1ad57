import { auditAccountEventLog } from "../audit/audit-account-event-log.js";
import { AuditLog } from "../audit/audit-log.js";
import type { AuditDatabase } from "../audit/audit-schema.js";
import { AccountInvitationService } from "../auth/account-invitation-service.js";
import type { AuthDatabase } from "../auth/auth-schema.js";
import { PasswordHasher } from "../auth/password-hasher.js";
import { PasswordResetService } from "../auth/password-reset-service.js";
import { type SignInLimits, SignInService } from "../auth/sign-in-service.js";
import { createThrottleStore } from "../auth/stores/create-throttle-store.js";
import { UserRepository } from "../auth/user-repository.js";
import { createCacheStore } from "../cache/create-cache-store.js";
import type { MargConfig } from "../config/config-types.js";
import { createDatabases } from "../db/databases.js";
import type { DatabaseEvent } from "../db/types.js";
import { MargError } from "../errors/index.js";
import { createLogger, type Logger } from "../logging/create-logger.js";
import { createMailer } from "../mail/create-mailer.js";
import { DatabaseSentMailLog } from "../mail/sent-mail-log.js";
import { margMetrics } from "../metrics/create-metrics.js";
import type { MargMetrics } from "../metrics/types.js";
import { createOidcClientRegistry } from "../oidc/oidc-client-registry.js";
import type { OidcDatabase } from "../oidc/oidc-client-tables.js";
import { createQueueBackend } from "../queue/create-queue-backend.js";
import type { AnyJobDefinition } from "../queue/job-definition.js";
import { createDeferredJobRegistry, createJobRegistry, type JobRegistry } from "../queue/job-registry.js";
import { createQueue } from "../queue/queue-service.js";
import { createRbacService } from "../rbac/create-rbac-service.js";
import type { RbacTables } from "../rbac/rbac-schema.js";
import { SqlUserDirectory } from "../rbac/sql-user-directory.js";
import { createRedisConnections } from "../redis/create-redis-connections.js";
import { createSessionStore } from "../session/create-session-store.js";
import type { SessionDatabase } from "../session/stores/session-table.js";
import { createAccountServices } from "./account-services.js";
import { createAppDatabaseOf } from "./app-databases.js";
import type { Platform } from "./types.js";

export interface CreatePlatformOptions {
  readonly logger?: Logger;
  /** Password hasher override (tests use cheap parameters). */
  readonly hasher?: PasswordHasher;
  /**
   * Job handlers, needed only by QUEUE_CONNECTION=sync (which runs them at dispatch).
   * A function gets the platform being built, so the handlers can use its services;
   * it is called only under sync, once the platform is complete.
   */
  readonly jobs?: readonly AnyJobDefinition[] | PlatformJobs;
  /** Where the SQL pools and the RBAC cache are counted; default: the process's `margMetrics()`. */
  readonly metrics?: MargMetrics;
}

/** The log line of each database event; `event.reason` carries the detail (and, for lag, the GRANT to run). */
const DATABASE_EVENT_MESSAGES: Record<DatabaseEvent["type"], string> = {
  "replica-down": "read replica taken out of rotation",
  "replica-up": "read replica back in rotation",
  "replica-lag-unknown": "read replica's lag cannot be measured: reads keep going to it",
};

/** LOGIN_* and RATE_LIMIT_LOGIN_IP, as the sign-in service takes them. */
function signInLimitsOf(config: MargConfig): SignInLimits {
  const { ip, ...pair } = config.rateLimits.login;
  return {
    ...pair,
    ip: { maxAttempts: ip.max === 0 ? Number.MAX_SAFE_INTEGER : ip.max, windowMs: ip.windowMs },
  };
}

/** Config warnings already logged by this process: `marg dev` builds a platform per app, the operator needs each once. */
const warnedConfig = new Set<string>();

/** Builds the handlers from the platform they will run on (as `marg work` does). */
export type PlatformJobs = (
  platform: Platform,
) => readonly AnyJobDefinition[] | Promise<readonly AnyJobDefinition[]>;

/**
 * Builds the services one app process needs from its config. Redis is opened only
 * when a driver asks for it, so phase 1 never touches Redis.
 *
 * @example
 * const platform = await createPlatform(loadConfig({ app: "flow" }));
 * const user = await platform.users.findByEmail("ada@example.com");
 * await platform.close();
 */
export async function createPlatform(
  config: MargConfig,
  options: CreatePlatformOptions = {},
): Promise<Platform> {
  const sync = config.queue.connection === "sync";
  if (sync && options.jobs === undefined) {
    throw new MargError(
      "E_QUEUE_DRIVER_UNSUPPORTED",
      "QUEUE_CONNECTION=sync runs each job inside the process that dispatches it, and this process " +
        "has no job handlers to run them with. Start it with QUEUE_CONNECTION=database (or redis).",
    );
  }
  const logger = options.logger ?? createLogger(config);
  for (const warning of config.warnings) {
    if (warnedConfig.has(warning)) continue;
    warnedConfig.add(warning);
    logger.warn(warning);
  }
  const metrics = options.metrics ?? margMetrics();
  const closers: (() => Promise<void> | void)[] = [];
  // Anything opened before a later step fails is closed again, so a failed start never hangs the process.
  const closeAll = async () => {
    for (const close of closers.reverse()) {
      try {
        await close();
      } catch (error) {
        logger.error({ err: error }, "error while closing");
      }
    }
  };
  try {
    const databases = createDatabases(config, {
      onEvent: (event) => logger.warn({ event }, DATABASE_EVENT_MESSAGES[event.type]),
      // `flow/app`: `marg dev` opens every app's connections in one process.
      countPool: (connection, usage) => metrics.addPoolSource(`${config.app.id}/${connection}`, usage),
    });
    closers.push(() => databases.destroy());
    const redis = config.redis.required ? createRedisConnections(config.redis, { logger }) : undefined;
    if (redis !== undefined) closers.push(() => redis.quit());
    const rbacDb = databases.connection<AuthDatabase>("rbac");
    const hasher = options.hasher ?? new PasswordHasher();
    const users = new UserRepository(rbacDb, { hasher });
    const sessions = await createSessionStore(config, {
      ...(redis === undefined ? {} : { redis: redis.client }),
      db: databases.connection<SessionDatabase>("rbac"),
    });
    // The cache may live on its own Redis (allkeys-lru), so eviction never touches sessions or jobs.
    const cacheRedis =
      config.cache.store === "redis" && config.cache.redis !== undefined
        ? createRedisConnections({ ...config.cache.redis, prefix: config.redis.prefix }, { logger })
        : redis;
    if (cacheRedis !== undefined && cacheRedis !== redis) closers.push(() => cacheRedis.quit());
    const cache = createCacheStore(config, {
      ...(cacheRedis === undefined ? {} : { redis: cacheRedis.client }),
      db: databases.connection("rbac"),
    });
    const rbac = createRbacService(config, {
      db: databases.connection<RbacTables>("rbac"),
      store: cache,
      users: new SqlUserDirectory(databases.connection("rbac")),
      ...(config.app.apps.includes(config.app.id) ? { app: config.app.id } : {}),
      logger,
      onCacheLookup: (level, result) => metrics.rbacCacheLookups.inc({ level, result }),
    });
    closers.push(() => rbac.close());
    const throttle = await createThrottleStore(
      redis === undefined
        ? { driver: "database", db: rbacDb }
        : { driver: "redis", redis: redis.client, prefix: redis.prefixed("auth_throttle:") },
    );
    const jobs = options.jobs;
    const deferred = typeof jobs === "function" && sync ? createDeferredJobRegistry() : undefined;
    const registry: JobRegistry | undefined =
      deferred?.registry ?? (Array.isArray(jobs) ? createJobRegistry(jobs) : undefined);
    const queueBackend = await createQueueBackend(config, {
      logger,
      ...(registry === undefined ? {} : { registry }),
    });
    closers.push(() => queueBackend.close());
    const platform: Platform = {
      config,
      logger,
      databases,
      rbacDb,
      redis,
      sessions,
      cache,
      rbac,
      throttle,
      hasher,
      users,
      signIn: new SignInService({ users, hasher, throttle, limits: signInLimitsOf(config) }),
      passwordResets: new PasswordResetService({ db: rbacDb, users, hasher }),
      invitations: new AccountInvitationService({ db: rbacDb, users }),
      accounts: createAccountServices(config, { db: rbacDb, rbac, cache }),
      accountEvents: auditAccountEventLog(new AuditLog(databases.connection<AuditDatabase>("rbac")), logger),
      oidcClients: createOidcClientRegistry(databases.connection<OidcDatabase>("rbac"), {
        production: config.app.production,
      }),
      mailer: createMailer(config, { sentLog: new DatabaseSentMailLog(databases.connection("rbac")) }),
      queue: createQueue(queueBackend),
      queueBackend,
      appDatabase: createAppDatabaseOf(config, databases, (fn) => closers.push(fn)),
      onClose: (fn) => closers.push(fn),
      close: closeAll,
    };
    if (deferred !== undefined && typeof jobs === "function") deferred.resolve(await jobs(platform));
    return platform;
  } catch (error) {
    await closeAll();
    throw error;
  }
}
