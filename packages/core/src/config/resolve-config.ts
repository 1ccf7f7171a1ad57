import path from "node:path";
import { decodeAppKey, keyFingerprint, SEED_EXAMPLE_APP_KEY } from "./app-key.js";
import type { DbConnectionConfig, MargConfig, RedisConnectionConfig, SqlDriver } from "./config-types.js";
import type { Env } from "./env-schema.js";
import { Secret } from "./secret.js";

/** A problem found while resolving: the variable, what is wrong, and the fix. */
export interface ConfigIssue {
  readonly variable: string;
  readonly problem: string;
  readonly fix?: string;
}

export interface ResolveContext {
  readonly appId: string;
  /** Title and database an app brings with it when the env leaves them unset. */
  readonly appDefaults: { readonly name?: string; readonly database?: string };
  readonly root: string;
}

const KEY_FIX = "run `marg key:generate` (it writes a fresh key to .env.shared)";

function toDriver(value: "sqlite" | "mysql" | "mariadb"): SqlDriver {
  return value === "sqlite" ? "sqlite" : "mysql";
}

function parsePort(
  raw: string | undefined,
  fallback: number,
  variable: string,
  issues: ConfigIssue[],
): number {
  if (raw === undefined) return fallback;
  const port = Number(raw);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    issues.push({ variable, problem: `expected a port from 1 to 65535, got "${raw}"` });
    return fallback;
  }
  return port;
}

function resolveKeys(env: Env, production: boolean, issues: ConfigIssue[]) {
  const decode = (raw: string, variable: string): Buffer | undefined => {
    try {
      const key = decodeAppKey(raw);
      if (production && key.length !== 32) {
        issues.push({
          variable,
          problem: `must be base64: + 32 bytes in production, got ${key.length} bytes`,
          fix: KEY_FIX,
        });
        return undefined;
      }
      if (key.length < 16) {
        issues.push({ variable, problem: `is too short (${key.length} bytes; 32 expected)`, fix: KEY_FIX });
        return undefined;
      }
      return key;
    } catch (error) {
      issues.push({ variable, problem: (error as Error).message, fix: KEY_FIX });
      return undefined;
    }
  };
  if (env.APP_KEY === undefined) {
    issues.push({ variable: "APP_KEY", problem: "is missing", fix: KEY_FIX });
  } else if (production && env.APP_KEY === SEED_EXAMPLE_APP_KEY) {
    issues.push({
      variable: "APP_KEY",
      problem: "is the example key printed in the seed guide, which anyone can read",
      fix: KEY_FIX,
    });
  }
  const key = env.APP_KEY === undefined ? undefined : decode(env.APP_KEY, "APP_KEY");
  const previousKeys = env.APP_PREVIOUS_KEYS.flatMap((raw, index) => {
    const decoded = decode(raw, `APP_PREVIOUS_KEYS[${index}]`);
    return decoded === undefined ? [] : [new Secret(decoded)];
  });
  return { key: key ?? Buffer.alloc(32), previousKeys, usesExampleKey: env.APP_KEY === SEED_EXAMPLE_APP_KEY };
}

function secret(value: string | undefined): Secret | undefined {
  return value === undefined ? undefined : new Secret(value);
}

function sqliteFile(storagePath: string, database: string): string {
  return path.join(storagePath, "database", `${database}.sqlite`);
}

function resolveDatabases(env: Env, ctx: ResolveContext, storagePath: string, issues: ConfigIssue[]) {
  const driver = toDriver(env.DB_CONNECTION);
  const base = {
    host: env.DB_HOST,
    port: env.DB_PORT,
    user: env.DB_USERNAME,
    password: secret(env.DB_PASSWORD),
    readHosts: env.DB_READ_HOSTS,
    sticky: env.DB_STICKY,
    stickyWindowSeconds: env.DB_STICKY_WINDOW,
    replicaMaxLagSeconds: env.DB_REPLICA_MAX_LAG,
    poolSize: env.DB_POOL_SIZE,
  };
  const appDatabase = env.DB_DATABASE ?? ctx.appDefaults.database ?? env.RBAC_DB_DATABASE;
  const connection = (name: string, database: string, overrides: Partial<DbConnectionConfig> = {}) => {
    const resolved = { name, driver, database, ...base, ...overrides };
    return { ...resolved, filename: sqliteFile(storagePath, resolved.database) } satisfies DbConnectionConfig;
  };
  const rbacHost = env.RBAC_DB_HOST;
  return {
    app: connection("app", appDatabase),
    rbac: connection("rbac", env.RBAC_DB_DATABASE, {
      driver: env.RBAC_DB_DRIVER === undefined ? driver : toDriver(env.RBAC_DB_DRIVER),
      host: rbacHost ?? base.host,
      port: parsePort(env.RBAC_DB_PORT, base.port, "RBAC_DB_PORT", issues),
      user: env.RBAC_DB_USERNAME ?? base.user,
      password: env.RBAC_DB_PASSWORD === undefined ? base.password : secret(env.RBAC_DB_PASSWORD),
      // Replicas named in DB_READ_HOSTS serve the primary DB_HOST; a separate RBAC host has none.
      readHosts: rbacHost === undefined || rbacHost === base.host ? base.readHosts : [],
    }),
    business: connection("business", env.BUSINESS_DB_DATABASE, {
      host: env.BUSINESS_DB_HOST ?? base.host,
      port: parsePort(env.BUSINESS_DB_PORT, base.port, "BUSINESS_DB_PORT", issues),
      readHosts: env.BUSINESS_DB_HOST === undefined ? base.readHosts : [],
    }),
  };
}

function redisConnection(env: Env): RedisConnectionConfig {
  return {
    host: env.REDIS_HOST,
    port: env.REDIS_PORT,
    password: secret(env.REDIS_PASSWORD),
    db: env.REDIS_DB,
    sentinels: env.REDIS_SENTINELS,
    sentinelService: env.REDIS_SENTINEL_SERVICE,
    sentinelPassword: secret(env.REDIS_SENTINEL_PASSWORD),
  };
}

/** Turns validated variables into the nested config, collecting cross-field problems. */
export function resolveConfig(env: Env, ctx: ResolveContext): { config: MargConfig; issues: ConfigIssue[] } {
  const issues: ConfigIssue[] = [];
  const production = env.APP_ENV === "production";
  const { key, previousKeys, usesExampleKey } = resolveKeys(env, production, issues);
  const storagePath = path.resolve(ctx.root, env.STORAGE_PATH);
  const domain = env.MARG_DOMAIN ?? env.SESSION_DOMAIN?.replace(/^\./, "") ?? "marg.localhost";
  // On the laptop every app shares the front door's port; behind a proxy the URL has none.
  const defaultUrl = domain.endsWith("localhost")
    ? `http://${ctx.appId}.${domain}:${env.PORT}`
    : `http://${ctx.appId}.${domain}`;
  const appUrl = env.APP_URL ?? defaultUrl;
  let url = appUrl;
  try {
    const parsed = new URL(appUrl);
    if (parsed.protocol !== "http:" && parsed.protocol !== "https:") throw new Error("scheme");
    url = parsed.origin;
  } catch {
    issues.push({ variable: "APP_URL", problem: `expected an http:// or https:// URL, got "${appUrl}"` });
  }
  const usesRedis =
    env.SESSION_DRIVER === "redis" || env.CACHE_STORE === "redis" || env.QUEUE_CONNECTION === "redis";
  const secure = url.startsWith("https:");
  if (env.SESSION_DOMAIN !== undefined) {
    const host = URL.canParse(url) ? new URL(url).hostname : "";
    const domain = env.SESSION_DOMAIN.replace(/^\./, "");
    if (host !== "" && host !== domain && !host.endsWith(`.${domain}`)) {
      issues.push({
        variable: "SESSION_DOMAIN",
        problem: `"${env.SESSION_DOMAIN}" does not cover APP_URL's host ${host}, so the browser would drop the cookie`,
        fix: `set SESSION_DOMAIN=.${host.split(".").slice(1).join(".")} or fix APP_URL`,
      });
    }
  }
  if (env.SESSION_ABSOLUTE_LIFETIME < env.SESSION_LIFETIME) {
    issues.push({
      variable: "SESSION_ABSOLUTE_LIFETIME",
      problem: `(${env.SESSION_ABSOLUTE_LIFETIME} min) is shorter than SESSION_LIFETIME (${env.SESSION_LIFETIME} min)`,
      fix: "raise SESSION_ABSOLUTE_LIFETIME or lower SESSION_LIFETIME",
    });
  }
  if (env.WORKER_METRICS_PORT > 0 && env.WORKER_METRICS_PORT + env.WORKER_INDEX > 65535) {
    issues.push({
      variable: "WORKER_INDEX",
      problem: `(${env.WORKER_INDEX}) puts the worker's /metrics past port 65535 (WORKER_METRICS_PORT=${env.WORKER_METRICS_PORT})`,
      fix: "lower WORKER_METRICS_PORT",
    });
  }
  if (env.MAIL_MAILER === "smtp" && env.MAIL_USERNAME !== undefined && env.MAIL_PASSWORD === undefined) {
    issues.push({ variable: "MAIL_PASSWORD", problem: "is missing while MAIL_USERNAME is set" });
  }

  const config: MargConfig = {
    warnings: [],
    app: {
      id: ctx.appId,
      name: env.APP_NAME ?? ctx.appDefaults.name ?? "MARG",
      url,
      env: env.APP_ENV,
      production,
      debug: env.APP_DEBUG && !production,
      key: new Secret(key),
      previousKeys,
      keyFingerprint: keyFingerprint(key),
      usesExampleKey,
      apps: env.MARG_APPS,
      domain,
      root: ctx.root,
    },
    http: {
      host: env.HOST,
      port: env.PORT,
      trustedProxies: env.TRUSTED_PROXIES,
      bodyLimit: env.BODY_LIMIT,
      shutdownTimeoutSeconds: env.SHUTDOWN_TIMEOUT,
      servedByHeader: env.SERVED_BY_HEADER ?? !production,
    },
    log: { level: env.LOG_LEVEL, redactParams: env.LOG_REDACT_PARAMS },
    session: {
      driver: env.SESSION_DRIVER,
      lifetimeMinutes: env.SESSION_LIFETIME,
      absoluteLifetimeMinutes: env.SESSION_ABSOLUTE_LIFETIME,
      encrypt: env.SESSION_ENCRYPT,
      path: env.SESSION_PATH,
      domain: env.SESSION_DOMAIN,
      cookie: env.SESSION_COOKIE,
      secure,
    },
    auth: {
      registrationEnabled: env.REGISTRATION_ENABLED,
      registrationDomains: env.REGISTRATION_DOMAINS.map((domain) => domain.toLowerCase().replace(/^@/, "")),
      registrationRole: env.REGISTRATION_ROLE === "" ? undefined : env.REGISTRATION_ROLE,
      requireTwoFactor: env.AUTH_REQUIRE_2FA,
    },
    links: { allowPrivateTargets: env.LINKS_ALLOW_PRIVATE_TARGETS },
    redis: { ...redisConnection(env), prefix: env.REDIS_PREFIX, required: usesRedis },
    cache: {
      store: env.CACHE_STORE,
      prefix: env.CACHE_PREFIX,
      redis:
        env.CACHE_REDIS_HOST === undefined
          ? undefined
          : {
              ...redisConnection(env),
              host: env.CACHE_REDIS_HOST,
              port: env.CACHE_REDIS_PORT,
              password: secret(env.CACHE_REDIS_PASSWORD ?? env.REDIS_PASSWORD),
              db: env.CACHE_REDIS_DB,
              sentinels: [],
            },
    },
    db: { connections: resolveDatabases(env, ctx, storagePath, issues) },
    rbac: { cacheEnabled: env.RBAC_CACHE_ENABLED, cacheTtlSeconds: env.RBAC_CACHE_TTL },
    queue: { connection: env.QUEUE_CONNECTION },
    storage: { path: storagePath },
    reports: { attachMaxBytes: env.REPORT_ATTACH_MAX_MB * 1_048_576 },
    mail: {
      mailer: env.MAIL_MAILER,
      host: env.MAIL_HOST,
      port: env.MAIL_PORT,
      username: env.MAIL_USERNAME,
      password: secret(env.MAIL_PASSWORD),
      encryption: env.MAIL_ENCRYPTION,
      from: { address: env.MAIL_FROM_ADDRESS, name: env.MAIL_FROM_NAME },
    },
    health: { queueMax: env.HEALTH_QUEUE_MAX, backlogUnhealthy: env.HEALTH_BACKLOG_UNHEALTHY },
    metrics: {
      allow: env.METRICS_ALLOW,
      token: secret(env.METRICS_TOKEN),
      worker: {
        host: env.WORKER_METRICS_HOST,
        port: env.WORKER_METRICS_PORT === 0 ? 0 : env.WORKER_METRICS_PORT + env.WORKER_INDEX,
      },
      app: { host: env.APP_METRICS_HOST, port: env.APP_METRICS_PORT },
    },
    rateLimits: {
      login: {
        freeFailures: env.LOGIN_FREE_FAILURES,
        backoffBaseMs: env.LOGIN_BACKOFF_BASE * 1000,
        backoffMaxMs: Math.max(env.LOGIN_BACKOFF_BASE, env.LOGIN_BACKOFF_MAX) * 1000,
        failureMemoryMs: env.LOGIN_FAILURE_MEMORY * 1000,
        ip: env.RATE_LIMIT_LOGIN_IP,
      },
      forgotPasswordEmail: env.RATE_LIMIT_FORGOT_PASSWORD_EMAIL,
      forgotPasswordIp: env.RATE_LIMIT_FORGOT_PASSWORD_IP,
      registerIp: env.RATE_LIMIT_REGISTER_IP,
      resetPasswordIp: env.RATE_LIMIT_RESET_PASSWORD_IP,
      passwordChange: env.RATE_LIMIT_PASSWORD_CHANGE,
      apiWrites: env.RATE_LIMIT_API_WRITES,
    },
  };
  return { config, issues };
}
