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
  envTwoFactorRequirement,
} from "./env-values.js";

/**
 * Gives every variable of a section its heading (zod metadata, beside the `.describe()`d
 * meaning): `marg config:doc` reads both from the schema at run time to write
 * docs/configuration.md, so the doc cannot say what the schema does not.
 */
function section<T extends Record<string, z.ZodType>>(title: string, variables: T): T {
  return Object.fromEntries(
    Object.entries(variables).map(([name, schema]) => [
      name,
      schema.meta({ ...schema.meta(), section: title }),
    ]),
  ) as T;
}

/**
 * Every environment variable MARG reads, with its default and what it is for (`.describe()`,
 * the text of docs/configuration.md).
 * Names follow the seed's `.env.shared`; additions use the same style.
 * Anything not listed here is ignored, so unrelated variables never fail a start.
 */
export const envSchema = z.object({
  ...section("App", {
    APP_NAME: envOptionalString().describe(
      "Human name shown in page titles and mails. Defaults to the app's own title.",
    ),
    APP_URL: envOptionalString().describe(
      "Public URL of this app, e.g. https://flow.marg.test. https turns on Secure cookies.",
    ),
    APP_ENV: envEnum(["local", "development", "testing", "staging", "production"], "local").describe(
      "local | testing | staging | production. production enforces a real APP_KEY.",
    ),
    APP_DEBUG: envBoolean(false).describe(
      "Shows error details on error pages. Never honoured in production.",
    ),
    APP_KEY: envOptionalString().describe(
      "`base64:` + 32 random bytes; signs cookies and encrypts sessions. `marg key:generate` writes one.",
    ),
    APP_PREVIOUS_KEYS: envList().describe(
      "Earlier keys, comma-separated, still accepted to read sessions during a key rotation.",
    ),
    MARG_APPS: envList(["flow", "links", "admin", "id"]).describe(
      "Apps served by this installation; adding an app is one folder plus its name here.",
    ),
    MARG_DOMAIN: envOptionalString().describe(
      "The parent domain of every app, e.g. marg.test; apps live on <app>.<domain>. Default: SESSION_DOMAIN, else marg.localhost.",
    ),
  }),
  ...section("HTTP", {
    HOST: envString("127.0.0.1").describe("Address to listen on."),
    PORT: envPort(8000).describe("Port to listen on (the dev front door serves every app on this one port)."),
    TRUSTED_PROXIES: envList(["127.0.0.1", "::1"]).describe(
      "Proxies whose X-Forwarded-* headers are believed: IPs or CIDRs, comma-separated.",
    ),
    BODY_LIMIT: envInt(1_048_576, 1024, 1_073_741_824).describe(
      "Largest accepted request body in bytes (uploads have their own limit).",
    ),
    SHUTDOWN_TIMEOUT: envInt(30, 1, 3600).describe("Seconds to let in-flight requests finish after SIGTERM."),
    SERVED_BY_HEADER: envOptionalBoolean().describe(
      "Send X-Served-By (MARG_INSTANCE, else host:pid) on every response, to watch a load balancer's spread. Default: on, off in production.",
    ),
    LOG_LEVEL: envEnum(["fatal", "error", "warn", "info", "debug", "trace", "silent"], "info").describe(
      "pino level: fatal, error, warn, info, debug, trace, silent.",
    ),
  }),
  ...section("Session", {
    SESSION_DRIVER: envEnum(["database", "redis"], "database").describe(
      "database (embedded default) or redis.",
    ),
    SESSION_LIFETIME: envInt(120, 1, 525_600).describe("Idle timeout in minutes (seed: 10080 = 7 days)."),
    SESSION_ABSOLUTE_LIFETIME: envInt(10_080, 1, 525_600).describe(
      "Absolute lifetime in minutes: sign in again after this however busy (default 7 days).",
    ),
    SESSION_ENCRYPT: envBoolean(true).describe(
      "Encrypt session data at rest with a key derived from APP_KEY.",
    ),
    SESSION_PATH: envString("/").describe('Cookie path; "/" so every page of every app sees the session.'),
    SESSION_DOMAIN: envOptionalString().describe(
      "Cookie domain shared by every app, e.g. .marg.test. Empty means host-only.",
    ),
    SESSION_COOKIE: envString("marg_session").describe(
      "Cookie name; identical on every app (seed: marg_session). Gets the __Secure- prefix on https.",
    ),
  }),
  ...section("Accounts", {
    REGISTRATION_ENABLED: envBoolean(false).describe(
      "Let visitors create their own account on the sign-up page (verified by a mailed link). Off unless turned on.",
    ),
    REGISTRATION_DOMAINS: envList().describe(
      "Email domains sign-up accepts, comma-separated (e.g. example.com,corp.example); empty accepts any.",
    ),
    REGISTRATION_ROLE: envRoleName("member").describe(
      "Role a self-registered account gets once its address is verified (default member); empty gives none, so an admin assigns one.",
    ),
    AUTH_REQUIRE_2FA: envTwoFactorRequirement().describe(
      "Who must set up two-factor sign-in before using any app: none (default), all, or roles:admin,super-admin (a super-admin holds every role). An authenticator app or a registered passkey satisfies it. Until then every page leads to the set-up page; the API answers 403 E_AUTH_TWO_FACTOR_SETUP_REQUIRED.",
    ),
  }),
  ...section("Links", {
    LINKS_ALLOW_PRIVATE_TARGETS: envBoolean(false).describe(
      "Let short links lead to loopback, private, link-local and metadata addresses and localhost (intranet installs only).",
    ),
  }),
  ...section("Redis", {
    REDIS_HOST: envString("127.0.0.1").describe(
      "Redis for sessions, queues, RBAC cache and locks (standalone mode).",
    ),
    REDIS_PORT: envPort(6379).describe("Port of REDIS_HOST."),
    REDIS_PASSWORD: envOptionalString().describe("Redis AUTH password (requirepass)."),
    REDIS_DB: envInt(0, 0, 15).describe("Redis logical database number, 0–15."),
    REDIS_PREFIX: envString("marg_database_").describe("Every key MARG writes starts with this."),
    REDIS_SENTINELS: envHostPortList(26379).describe(
      "host:port of each Sentinel; when set, REDIS_HOST/PORT are ignored.",
    ),
    REDIS_SENTINEL_SERVICE: envString("marg-redis").describe(
      "The master name the Sentinels monitor (seed: marg-redis).",
    ),
    REDIS_SENTINEL_PASSWORD: envOptionalString().describe(
      "Password of the Sentinels themselves, if they require one.",
    ),
  }),
  ...section("Cache", {
    CACHE_STORE: envEnum(["database", "redis", "memory"], "database").describe(
      "database (embedded default), redis or memory.",
    ),
    CACHE_PREFIX: envString("marg").describe("Cache keys start with REDIS_PREFIX + this (seed: marg)."),
    CACHE_REDIS_HOST: envOptionalString().describe(
      "A separate Redis for the cache (allkeys-lru), so eviction never touches sessions or jobs.",
    ),
    CACHE_REDIS_PORT: envPort(6380).describe("Port of the cache Redis."),
    CACHE_REDIS_PASSWORD: envOptionalString().describe(
      "Password of the cache Redis; defaults to REDIS_PASSWORD.",
    ),
    CACHE_REDIS_DB: envInt(0, 0, 15).describe("Logical database of the cache Redis."),
  }),
  ...section("Databases", {
    DB_CONNECTION: envEnum(["sqlite", "mysql", "mariadb"], "sqlite").describe(
      "sqlite (embedded default), mysql or mariadb.",
    ),
    DB_HOST: envString("127.0.0.1").describe(
      "MySQL/MariaDB primary: every write, and reads when no replica is set.",
    ),
    DB_PORT: envPort(3306).describe("Port of DB_HOST and the default port of DB_READ_HOSTS."),
    DB_DATABASE: envOptionalString().describe(
      "This app's own database; each app sets its own (flow: klueportal, links: links_db).",
    ),
    DB_USERNAME: envString("root").describe("Database user (seed: marg_user)."),
    DB_PASSWORD: envOptionalString().describe("Database password."),
    DB_READ_HOSTS: envHostPortList(3306).describe(
      "Read replicas, host[:port] comma-separated; reads go there, writes to DB_HOST.",
    ),
    DB_STICKY: envBoolean(true).describe(
      "After a write, read from the primary for the rest of the request (Laravel's sticky).",
    ),
    DB_STICKY_WINDOW: envInt(5, 0, 3600).describe(
      "Seconds after a write during which this user's reads stay on the primary (via the session).",
    ),
    DB_REPLICA_MAX_LAG: envInt(5, 0, 86_400).describe(
      "Largest replica lag in seconds before a replica is skipped.",
    ),
    DB_POOL_SIZE: envInt(10, 1, 1000).describe("Connections per database pool in each process."),

    RBAC_DB_DRIVER: envOptionalEnum(["sqlite", "mysql", "mariadb"]).describe(
      "sqlite, mysql or mariadb for the shared users/roles/permissions database; defaults to DB_CONNECTION. Unset RBAC_DB_* fall back to DB_*.",
    ),
    RBAC_DB_HOST: envOptionalString().describe("Host of the RBAC database; defaults to DB_HOST."),
    RBAC_DB_PORT: envOptionalString().describe("Port of the RBAC database; defaults to DB_PORT."),
    RBAC_DB_DATABASE: envString("marg-rbac").describe(
      "The RBAC database name (seed: marg-rbac); also holds sessions, cache and jobs of the embedded drivers.",
    ),
    RBAC_DB_USERNAME: envOptionalString().describe("User for the RBAC database; defaults to DB_USERNAME."),
    RBAC_DB_PASSWORD: envOptionalString().describe(
      "Password for the RBAC database; defaults to DB_PASSWORD.",
    ),
    RBAC_CACHE_ENABLED: envBoolean(true).describe(
      "Cache each user's permission set; false reads the database on every check.",
    ),
    RBAC_CACHE_TTL: envInt(3600, 1, 604_800).describe(
      "Seconds a user's permission set stays cached (changes are seen at once anyway).",
    ),

    BUSINESS_DB_DATABASE: envString("klue_portal_business").describe(
      "Feedback and business data (seed: klue_portal_business). Unset parts fall back to DB_*.",
    ),
    BUSINESS_DB_HOST: envOptionalString().describe("Host of the business database; defaults to DB_HOST."),
    BUSINESS_DB_PORT: envOptionalString().describe("Port of the business database; defaults to DB_PORT."),
  }),
  ...section("Queue", {
    QUEUE_CONNECTION: envEnum(["database", "redis", "sync"], "database").describe(
      "database (embedded default), redis (BullMQ) or sync (no workers: each job runs inside dispatch(), in the process that dispatched it, `marg serve` and `marg dev` included).",
    ),
  }),
  ...section("Storage, mail, health, metrics", {
    STORAGE_PATH: envString("storage").describe(
      "Where SQLite files, uploads, reports, mails and backups live.",
    ),
    MAIL_MAILER: envEnum(["log", "smtp"], "log").describe(
      "log (write .eml files under storage/mail) or smtp.",
    ),
    MAIL_HOST: envString("127.0.0.1").describe("SMTP server host."),
    MAIL_PORT: envPort(587).describe("SMTP server port."),
    MAIL_USERNAME: envOptionalString().describe("SMTP user, if the server wants one."),
    MAIL_PASSWORD: envOptionalString().describe("SMTP password."),
    MAIL_ENCRYPTION: envEnum(["none", "tls", "starttls"], "none").describe(
      "none, tls (implicit TLS, port 465) or starttls.",
    ),
    MAIL_FROM_ADDRESS: envString("noreply@marg.localhost").describe("From address of every mail."),
    MAIL_FROM_NAME: envString("MARG").describe("From name of every mail."),
    REPORT_ATTACH_MAX_MB: envInt(10, 1, 1024).describe(
      "Largest export (flow's task report, links' click CSV) mailed as an attachment, in MB; a larger one is mailed as a link (flow) or a note to pick a shorter range (links).",
    ),
    HEALTH_QUEUE_MAX: envInt(1000, 1, 100_000_000).describe(
      "Queue size above which /health reports a backlog (seed: 1000).",
    ),
    HEALTH_BACKLOG_UNHEALTHY: envBoolean(false).describe(
      "Answer 503 on a backlog (takes the server out of the load balancer).",
    ),
    METRICS_ALLOW: envList(["127.0.0.1", "::1"]).describe(
      "Addresses allowed to read /metrics (IPs or CIDRs).",
    ),
    METRICS_TOKEN: envOptionalString().describe("Bearer token that also opens /metrics from anywhere."),
    WORKER_METRICS_PORT: envInt(0, 0, 65535).describe(
      "Where `marg work` serves /metrics: worker N of a server listens on this port + WORKER_INDEX (rendered fleets: 9464); 0 (default) serves none.",
    ),
    WORKER_METRICS_HOST: envString("127.0.0.1").describe(
      "Address `marg work` serves /metrics on: 127.0.0.1, or the server's private address for a Prometheus elsewhere.",
    ),
    APP_METRICS_PORT: envInt(0, 0, 65535).describe(
      "Where `marg serve` also serves /metrics on a listener of its own, for a Prometheus on another server (rendered fleets: 9480 + the app's number); 0 (default) serves none.",
    ),
    APP_METRICS_HOST: envString("127.0.0.1").describe(
      "Address `marg serve` serves that /metrics on: 127.0.0.1, or the server's private address for a Prometheus elsewhere.",
    ),
    WORKER_INDEX: envInt(0, 0, 1000).describe(
      "This worker's number on its server (supervisor's %(process_num)d, systemd's %i), so each worker's /metrics gets its own port.",
    ),
  }),
  ...section("Log redaction and rate limits", {
    LOG_REDACT_PARAMS: envList().describe(
      "Query parameters whose values never reach a log, besides token, _csrf, password and signature.",
    ),
    LOGIN_FREE_FAILURES: envInt(5, 1, 1000).describe(
      "Sign-in: failures one address may make on one account before each next try waits.",
    ),
    LOGIN_BACKOFF_BASE: envInt(30, 1, 86_400).describe(
      "Sign-in: seconds the first wait lasts; each further failure of the same account and address doubles it.",
    ),
    LOGIN_BACKOFF_MAX: envInt(900, 1, 604_800).describe(
      "Sign-in: longest wait in seconds, however many failures.",
    ),
    LOGIN_FAILURE_MEMORY: envInt(86_400, 60, 2_592_000).describe(
      "Sign-in: seconds a run of failures of one account from one address is remembered.",
    ),
    RATE_LIMIT_LOGIN_IP: envRate("20/1m").describe(
      "Sign-in attempts one address may make across all accounts (credential stuffing), e.g. 20/1m.",
    ),
    RATE_LIMIT_FORGOT_PASSWORD_EMAIL: envRate("3/15m").describe(
      "Password-reset mails one address may be sent.",
    ),
    RATE_LIMIT_FORGOT_PASSWORD_IP: envRate("10/15m").describe(
      "Password-reset requests one client address may make, whatever the addresses asked for.",
    ),
    RATE_LIMIT_REGISTER_IP: envRate("5/1h").describe("Sign-ups one client address may post."),
    RATE_LIMIT_RESET_PASSWORD_IP: envRate("10/15m").describe(
      "New-password form posts (token guesses) one client address may make.",
    ),
    RATE_LIMIT_PASSWORD_CHANGE: envRate("5/15m").describe(
      "Password changes (current-password checks) one signed-in user may attempt.",
    ),
    RATE_LIMIT_API_WRITES: envRate("300/1m").describe(
      "POST, PUT, PATCH and DELETE under /api/v1, per signed-in user (else per client address).",
    ),
  }),
});

export type EnvInput = z.input<typeof envSchema>;
export type Env = z.output<typeof envSchema>;

/** The variable names MARG reads; everything else in the environment is ignored. */
export const ENV_NAMES: readonly string[] = Object.keys(envSchema.shape);
