import { z } from "zod";
import {
  envBoolean,
  envEnum,
  envHostPortList,
  envInt,
  envList,
  envOptionalBoolean,
  envOptionalEnum,
  envOptionalString,
  envPort,
  envRate,
  envRoleName,
  envString,
} from "./env-values.js";

/**
 * Every environment variable MARG reads, with its default and what it is for.
 * Names follow the seed's `.env.shared`; additions use the same style.
 * Anything not listed here is ignored, so unrelated variables never fail a start.
 */
export const envSchema = z.object({
  // ── App ────────────────────────────────────────────────────────────────
  /** Human name shown in page titles and mails. Defaults to the app's own title. */
  APP_NAME: envOptionalString(),
  /** Public URL of this app, e.g. https://flow.marg.test. https turns on Secure cookies. */
  APP_URL: envOptionalString(),
  /** local | testing | staging | production. production enforces a real APP_KEY. */
  APP_ENV: envEnum(["local", "development", "testing", "staging", "production"], "local"),
  /** Shows error details on error pages. Never honoured in production. */
  APP_DEBUG: envBoolean(false),
  /** `base64:` + 32 random bytes; signs cookies and encrypts sessions. `marg key:generate` writes one. */
  APP_KEY: envOptionalString(),
  /** Earlier keys, comma-separated, still accepted to read sessions during a key rotation. */
  APP_PREVIOUS_KEYS: envList(),
  /** Apps served by this installation; adding an app is one folder plus its name here. */
  MARG_APPS: envList(["flow", "links", "admin"]),
  /** The parent domain of every app, e.g. marg.test; apps live on <app>.<domain>. Default: SESSION_DOMAIN, else marg.localhost. */
  MARG_DOMAIN: envOptionalString(),

  // ── HTTP ───────────────────────────────────────────────────────────────
  /** Address to listen on. */
  HOST: envString("127.0.0.1"),
  /** Port to listen on (the dev front door serves every app on this one port). */
  PORT: envPort(8000),
  /** Proxies whose X-Forwarded-* headers are believed: IPs or CIDRs, comma-separated. */
  TRUSTED_PROXIES: envList(["127.0.0.1", "::1"]),
  /** Largest accepted request body in bytes (uploads have their own limit). */
  BODY_LIMIT: envInt(1_048_576, 1024, 1_073_741_824),
  /** Seconds to let in-flight requests finish after SIGTERM. */
  SHUTDOWN_TIMEOUT: envInt(30, 1, 3600),
  /** Send X-Served-By (MARG_INSTANCE, else host:pid) on every response, to watch a load balancer's spread. Default: on, off in production. */
  SERVED_BY_HEADER: envOptionalBoolean(),
  /** pino level: fatal, error, warn, info, debug, trace, silent. */
  LOG_LEVEL: envEnum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info"),

  // ── Session ────────────────────────────────────────────────────────────
  /** database (embedded default) or redis. */
  SESSION_DRIVER: envEnum(["database", "redis"], "database"),
  /** Idle timeout in minutes (seed: 10080 = 7 days). */
  SESSION_LIFETIME: envInt(120, 1, 525_600),
  /** Absolute lifetime in minutes: sign in again after this however busy (default 7 days). */
  SESSION_ABSOLUTE_LIFETIME: envInt(10_080, 1, 525_600),
  /** Encrypt session data at rest with a key derived from APP_KEY. */
  SESSION_ENCRYPT: envBoolean(true),
  /** Cookie path; "/" so every page of every app sees the session. */
  SESSION_PATH: envString("/"),
  /** Cookie domain shared by every app, e.g. .marg.test. Empty means host-only. */
  SESSION_DOMAIN: envOptionalString(),
  /** Cookie name; identical on every app (seed: marg_session). Gets the __Secure- prefix on https. */
  SESSION_COOKIE: envString("marg_session"),

  // ── Accounts ───────────────────────────────────────────────────────────
  /** Let visitors create their own account on the sign-up page (verified by a mailed link). Off unless turned on. */
  REGISTRATION_ENABLED: envBoolean(false),
  /** Email domains sign-up accepts, comma-separated (e.g. example.com,corp.example); empty accepts any. */
  REGISTRATION_DOMAINS: envList(),
  /** Role a self-registered account gets once its address is verified (default member); empty gives none, so an admin assigns one. */
  REGISTRATION_ROLE: envRoleName("member"),

  // ── Links ──────────────────────────────────────────────────────────────
  /** Let short links lead to loopback, private, link-local and metadata addresses and localhost (intranet installs only). */
  LINKS_ALLOW_PRIVATE_TARGETS: envBoolean(false),

  // ── Redis ──────────────────────────────────────────────────────────────
  /** Redis for sessions, queues, RBAC cache and locks (standalone mode). */
  REDIS_HOST: envString("127.0.0.1"),
  /** Port of REDIS_HOST. */
  REDIS_PORT: envPort(6379),
  /** Redis AUTH password (requirepass). */
  REDIS_PASSWORD: envOptionalString(),
  /** Redis logical database number, 0–15. */
  REDIS_DB: envInt(0, 0, 15),
  /** Every key MARG writes starts with this. */
  REDIS_PREFIX: envString("marg_database_"),
  /** host:port of each Sentinel; when set, REDIS_HOST/PORT are ignored. */
  REDIS_SENTINELS: envHostPortList(26379),
  /** The master name the Sentinels monitor (seed: marg-redis). */
  REDIS_SENTINEL_SERVICE: envString("marg-redis"),
  /** Password of the Sentinels themselves, if they require one. */
  REDIS_SENTINEL_PASSWORD: envOptionalString(),

  // ── Cache ──────────────────────────────────────────────────────────────
  /** database (embedded default), redis or memory. */
  CACHE_STORE: envEnum(["database", "redis", "memory"], "database"),
  /** Cache keys start with REDIS_PREFIX + this (seed: marg). */
  CACHE_PREFIX: envString("marg"),
  /** A separate Redis for the cache (allkeys-lru), so eviction never touches sessions or jobs. */
  CACHE_REDIS_HOST: envOptionalString(),
  /** Port of the cache Redis. */
  CACHE_REDIS_PORT: envPort(6380),
  /** Password of the cache Redis; defaults to REDIS_PASSWORD. */
  CACHE_REDIS_PASSWORD: envOptionalString(),
  /** Logical database of the cache Redis. */
  CACHE_REDIS_DB: envInt(0, 0, 15),

  // ── Databases ──────────────────────────────────────────────────────────
  /** sqlite (embedded default), mysql or mariadb. */
  DB_CONNECTION: envEnum(["sqlite", "mysql", "mariadb"], "sqlite"),
  /** MySQL/MariaDB primary: every write, and reads when no replica is set. */
  DB_HOST: envString("127.0.0.1"),
  /** Port of DB_HOST and the default port of DB_READ_HOSTS. */
  DB_PORT: envPort(3306),
  /** This app's own database; each app sets its own (flow: klueportal, links: links_db). */
  DB_DATABASE: envOptionalString(),
  /** Database user (seed: marg_user). */
  DB_USERNAME: envString("root"),
  /** Database password. */
  DB_PASSWORD: envOptionalString(),
  /** Read replicas, host[:port] comma-separated; reads go there, writes to DB_HOST. */
  DB_READ_HOSTS: envHostPortList(3306),
  /** After a write, read from the primary for the rest of the request (Laravel's sticky). */
  DB_STICKY: envBoolean(true),
  /** Seconds after a write during which this user's reads stay on the primary (via the session). */
  DB_STICKY_WINDOW: envInt(5, 0, 3600),
  /** Largest replica lag in seconds before a replica is skipped. */
  DB_REPLICA_MAX_LAG: envInt(5, 0, 86_400),
  /** Connections per database pool in each process. */
  DB_POOL_SIZE: envInt(10, 1, 1000),

  /** sqlite, mysql or mariadb for the shared users/roles/permissions database; defaults to DB_CONNECTION. Unset RBAC_DB_* fall back to DB_*. */
  RBAC_DB_DRIVER: envOptionalEnum(["sqlite", "mysql", "mariadb"]),
  /** Host of the RBAC database; defaults to DB_HOST. */
  RBAC_DB_HOST: envOptionalString(),
  /** Port of the RBAC database; defaults to DB_PORT. */
  RBAC_DB_PORT: envOptionalString(),
  /** The RBAC database name (seed: marg-rbac); also holds sessions, cache and jobs of the embedded drivers. */
  RBAC_DB_DATABASE: envString("marg-rbac"),
  /** User for the RBAC database; defaults to DB_USERNAME. */
  RBAC_DB_USERNAME: envOptionalString(),
  /** Password for the RBAC database; defaults to DB_PASSWORD. */
  RBAC_DB_PASSWORD: envOptionalString(),
  /** Cache each user's permission set; false reads the database on every check. */
  RBAC_CACHE_ENABLED: envBoolean(true),
  /** Seconds a user's permission set stays cached (changes are seen at once anyway). */
  RBAC_CACHE_TTL: envInt(3600, 1, 604_800),

  /** Feedback and business data (seed: klue_portal_business). Unset parts fall back to DB_*. */
  BUSINESS_DB_DATABASE: envString("klue_portal_business"),
  /** Host of the business database; defaults to DB_HOST. */
  BUSINESS_DB_HOST: envOptionalString(),
  /** Port of the business database; defaults to DB_PORT. */
  BUSINESS_DB_PORT: envOptionalString(),

  // ── Queue ──────────────────────────────────────────────────────────────
  /** database (embedded default), redis (BullMQ) or sync (no workers: each job runs inside dispatch(), in the process that dispatched it, `marg serve` and `marg dev` included). */
  QUEUE_CONNECTION: envEnum(["database", "redis", "sync"], "database"),

  // ── Storage, mail, health, metrics ─────────────────────────────────────
  /** Where SQLite files, uploads, reports, mails and backups live. */
  STORAGE_PATH: envString("storage"),
  /** log (write .eml files under storage/mail) or smtp. */
  MAIL_MAILER: envEnum(["log", "smtp"], "log"),
  /** SMTP server host. */
  MAIL_HOST: envString("127.0.0.1"),
  /** SMTP server port. */
  MAIL_PORT: envPort(587),
  /** SMTP user, if the server wants one. */
  MAIL_USERNAME: envOptionalString(),
  /** SMTP password. */
  MAIL_PASSWORD: envOptionalString(),
  /** none, tls (implicit TLS, port 465) or starttls. */
  MAIL_ENCRYPTION: envEnum(["none", "tls", "starttls"], "none"),
  /** From address of every mail. */
  MAIL_FROM_ADDRESS: envString("noreply@marg.localhost"),
  /** From name of every mail. */
  MAIL_FROM_NAME: envString("MARG"),
  /** Largest export (flow's task report, links' click CSV) mailed as an attachment, in MB; a larger one is mailed as a link (flow) or a note to pick a shorter range (links). */
  REPORT_ATTACH_MAX_MB: envInt(10, 1, 1024),
  /** Queue size above which /health reports a backlog (seed: 1000). */
  HEALTH_QUEUE_MAX: envInt(1000, 1, 100_000_000),
  /** Answer 503 on a backlog (takes the server out of the load balancer). */
  HEALTH_BACKLOG_UNHEALTHY: envBoolean(false),
  /** Addresses allowed to read /metrics (IPs or CIDRs). */
  METRICS_ALLOW: envList(["127.0.0.1", "::1"]),
  /** Bearer token that also opens /metrics from anywhere. */
  METRICS_TOKEN: envOptionalString(),
  /** Where `marg work` serves /metrics: worker N of a server listens on this port + WORKER_INDEX (rendered fleets: 9464); 0 (default) serves none. */
  WORKER_METRICS_PORT: envInt(0, 0, 65535),
  /** Address `marg work` serves /metrics on: 127.0.0.1, or the server's private address for a Prometheus elsewhere. */
  WORKER_METRICS_HOST: envString("127.0.0.1"),
  /** Where `marg serve` also serves /metrics on a listener of its own, for a Prometheus on another server (rendered fleets: 9480 + the app's number); 0 (default) serves none. */
  APP_METRICS_PORT: envInt(0, 0, 65535),
  /** Address `marg serve` serves that /metrics on: 127.0.0.1, or the server's private address for a Prometheus elsewhere. */
  APP_METRICS_HOST: envString("127.0.0.1"),
  /** This worker's number on its server (supervisor's %(process_num)d, systemd's %i), so each worker's /metrics gets its own port. */
  WORKER_INDEX: envInt(0, 0, 1000),

  // ── Log redaction and rate limits ──────────────────────────────────────
  /** Query parameters whose values never reach a log, besides token, _csrf, password and signature. */
  LOG_REDACT_PARAMS: envList(),
  /** Sign-in: failures one address may make on one account before each next try waits. */
  LOGIN_FREE_FAILURES: envInt(5, 1, 1000),
  /** Sign-in: seconds the first wait lasts; each further failure of the same account and address doubles it. */
  LOGIN_BACKOFF_BASE: envInt(30, 1, 86_400),
  /** Sign-in: longest wait in seconds, however many failures. */
  LOGIN_BACKOFF_MAX: envInt(900, 1, 604_800),
  /** Sign-in: seconds a run of failures of one account from one address is remembered. */
  LOGIN_FAILURE_MEMORY: envInt(86_400, 60, 2_592_000),
  /** Sign-in attempts one address may make across all accounts (credential stuffing), e.g. 20/1m. */
  RATE_LIMIT_LOGIN_IP: envRate("20/1m"),
  /** Password-reset mails one address may be sent. */
  RATE_LIMIT_FORGOT_PASSWORD_EMAIL: envRate("3/15m"),
  /** Password-reset requests one client address may make, whatever the addresses asked for. */
  RATE_LIMIT_FORGOT_PASSWORD_IP: envRate("10/15m"),
  /** Sign-ups one client address may post. */
  RATE_LIMIT_REGISTER_IP: envRate("5/1h"),
  /** New-password form posts (token guesses) one client address may make. */
  RATE_LIMIT_RESET_PASSWORD_IP: envRate("10/15m"),
  /** Password changes (current-password checks) one signed-in user may attempt. */
  RATE_LIMIT_PASSWORD_CHANGE: envRate("5/15m"),
  /** POST, PUT, PATCH and DELETE under /api/v1, per signed-in user (else per client address). */
  RATE_LIMIT_API_WRITES: envRate("300/1m"),
});

export type EnvInput = z.input<typeof envSchema>;
export type Env = z.output<typeof envSchema>;

/** The variable names MARG reads; everything else in the environment is ignored. */
export const ENV_NAMES: readonly string[] = Object.keys(envSchema.shape);
