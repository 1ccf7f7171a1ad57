import type { RateBudget, TwoFactorRequirement } from "./env-values.js";
import type { Secret } from "./secret.js";

export type AppEnvironment = "local" | "development" | "testing" | "staging" | "production";
export type SqlDriver = "sqlite" | "mysql";

export interface HostPort {
  readonly host: string;
  readonly port: number;
}

/** One named database connection, resolved from DB_* / RBAC_DB_* / BUSINESS_DB_*. */
export interface DbConnectionConfig {
  /** The connection's name in code: `app`, `rbac` or `business`. */
  readonly name: string;
  readonly driver: SqlDriver;
  /** The database name, e.g. `marg-rbac`. */
  readonly database: string;
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: Secret | undefined;
  /** Read replicas; empty means reads go to the primary. */
  readonly readHosts: readonly HostPort[];
  readonly sticky: boolean;
  readonly stickyWindowSeconds: number;
  readonly replicaMaxLagSeconds: number;
  readonly poolSize: number;
  /** For sqlite: the file that holds this database. */
  readonly filename: string;
}

export interface RedisConnectionConfig {
  readonly host: string;
  readonly port: number;
  readonly password: Secret | undefined;
  readonly db: number;
  readonly sentinels: readonly HostPort[];
  readonly sentinelService: string;
  readonly sentinelPassword: Secret | undefined;
}

/** The resolved, validated, frozen configuration of one app (or the CLI). */
export interface MargConfig {
  /** What a start should tell the operator about the configuration (variables no longer used). */
  readonly warnings: readonly string[];
  readonly app: {
    /** The app's folder name (`flow`), or `marg` for the CLI and the front door. */
    readonly id: string;
    readonly name: string;
    readonly url: string;
    readonly env: AppEnvironment;
    readonly production: boolean;
    readonly debug: boolean;
    readonly key: Secret<Buffer>;
    readonly previousKeys: readonly Secret<Buffer>[];
    /** Non-reversible fingerprint of the key, safe to print and compare. */
    readonly keyFingerprint: string;
    readonly usesExampleKey: boolean;
    readonly apps: readonly string[];
    readonly domain: string;
    /** Root folder of the installation (where .env.shared lives). */
    readonly root: string;
  };
  readonly http: {
    readonly host: string;
    readonly port: number;
    readonly trustedProxies: readonly string[];
    readonly bodyLimit: number;
    readonly shutdownTimeoutSeconds: number;
    /** SERVED_BY_HEADER: name the answering process in X-Served-By (off in production unless turned on). */
    readonly servedByHeader: boolean;
  };
  readonly log: {
    readonly level: string;
    /** Query parameters redacted from logged URLs (LOG_REDACT_PARAMS), besides the built-in ones. */
    readonly redactParams: readonly string[];
  };
  readonly session: {
    readonly driver: "database" | "redis";
    readonly lifetimeMinutes: number;
    readonly absoluteLifetimeMinutes: number;
    readonly encrypt: boolean;
    readonly path: string;
    readonly domain: string | undefined;
    readonly cookie: string;
    /** True when APP_URL is https: Secure cookies with the __Secure- prefix. */
    readonly secure: boolean;
  };
  readonly auth: {
    readonly registrationEnabled: boolean;
    /** Lowercased email domains sign-up accepts; empty accepts any. */
    readonly registrationDomains: readonly string[];
    /** Role given to a verified self-registered account; undefined gives none. */
    readonly registrationRole: string | undefined;
    /** AUTH_REQUIRE_2FA: who must set up two-factor sign-in before using any app. */
    readonly requireTwoFactor: TwoFactorRequirement;
  };
  /** links.marg: whether short links may lead to private or local addresses (LINKS_ALLOW_PRIVATE_TARGETS). */
  readonly links: { readonly allowPrivateTargets: boolean };
  readonly redis: RedisConnectionConfig & { readonly prefix: string; readonly required: boolean };
  readonly cache: {
    readonly store: "database" | "redis" | "memory";
    readonly prefix: string;
    /** A separate cache Redis when CACHE_REDIS_HOST is set; otherwise the main one. */
    readonly redis: RedisConnectionConfig | undefined;
  };
  readonly db: {
    readonly connections: Readonly<Record<"app" | "rbac" | "business", DbConnectionConfig>>;
  };
  readonly rbac: { readonly cacheEnabled: boolean; readonly cacheTtlSeconds: number };
  readonly queue: { readonly connection: "database" | "redis" | "sync" };
  readonly storage: { readonly path: string };
  readonly mail: {
    readonly mailer: "log" | "smtp";
    readonly host: string;
    readonly port: number;
    readonly username: string | undefined;
    readonly password: Secret | undefined;
    readonly encryption: "none" | "tls" | "starttls";
    readonly from: { readonly address: string; readonly name: string };
  };
  /** Exports mailed by workers: the largest file sent as an attachment, in bytes (REPORT_ATTACH_MAX_MB). */
  readonly reports: { readonly attachMaxBytes: number };
  readonly health: { readonly queueMax: number; readonly backlogUnhealthy: boolean };
  readonly metrics: {
    readonly allow: readonly string[];
    readonly token: Secret | undefined;
    /** `marg work`'s own /metrics listener: WORKER_METRICS_HOST, WORKER_METRICS_PORT + WORKER_INDEX (0: none). */
    readonly worker: { readonly host: string; readonly port: number };
    /** `marg serve`'s own /metrics listener, beside the app's port: APP_METRICS_HOST, APP_METRICS_PORT (0: none). */
    readonly app: { readonly host: string; readonly port: number };
  };
  readonly rateLimits: RateLimitConfig;
}

/** Sign-in backoff and the request budgets of every other door (docs/sessions.md, "Throttling"). */
export interface RateLimitConfig {
  readonly login: {
    readonly freeFailures: number;
    readonly backoffBaseMs: number;
    readonly backoffMaxMs: number;
    readonly failureMemoryMs: number;
    readonly ip: RateBudget;
  };
  readonly forgotPasswordEmail: RateBudget;
  readonly forgotPasswordIp: RateBudget;
  readonly registerIp: RateBudget;
  readonly resetPasswordIp: RateBudget;
  readonly passwordChange: RateBudget;
  readonly apiWrites: RateBudget;
}
