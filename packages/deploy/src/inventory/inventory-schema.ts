import { isIP } from "node:net";
import { MARG_QUEUES } from "@marg/core/queue";
import { z } from "zod";
import { parseMegabytes } from "./size.js";

/**
 * The shape of a fleet inventory (`deploy/inventory.example.yml`). Every object
 * is strict, so a misspelt key is an error that names it rather than a setting
 * silently ignored. Defaults follow the seed guide.
 */

/** What a server can do; one server may have several roles. */
export const ROLES = [
  "lb",
  "http",
  "worker",
  "redis",
  "redis-cache",
  "sentinel",
  "mysql-primary",
  "mysql-replica",
] as const;
export type Role = (typeof ROLES)[number];

const slug = z
  .string()
  .regex(/^[a-z][a-z0-9-]{0,30}$/, "expected lower-case letters, digits and dashes, starting with a letter");
const port = z.number().int().min(1).max(65535);
const appPort = z.number().int().min(1024).max(65535);
const absolutePath = z
  .string()
  .regex(/^\/[^\s"'`$\\]*$/, "expected an absolute path without spaces or quotes");
const memory = z.string().transform((raw, ctx) => {
  const mb = parseMegabytes(raw);
  if (mb === undefined) {
    ctx.addIssue({ code: "custom", message: `"${raw}" is not a memory size; write it like 512M or 2G` });
    return z.NEVER;
  }
  return mb;
});
const address = z
  .string()
  .refine((value) => isIP(value) !== 0, "expected an IP address (ufw rules and bind lines need one)");
/** An address or a CIDR block, as ufw's `from` accepts. */
const source = z.string().refine((value) => {
  const [ip, bits, extra] = value.split("/");
  if (extra !== undefined || ip === undefined || isIP(ip) === 0) return false;
  return bits === undefined || /^\d{1,3}$/.test(bits);
}, "expected an IP address or a CIDR block such as 203.0.113.0/24");
/** Database names: the seed's `marg-rbac` has a dash, so names are always back-quoted in SQL. */
const databaseName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "expected letters, digits, _ and - (64 at most)");
const sqlUser = z.string().regex(/^[a-z_][a-z0-9_]{0,31}$/, "expected lower-case letters, digits and _");
/** A path that may hold `{server}`, replaced by each server's name (several servers on one machine). */
const serverPath = z
  .string()
  .regex(
    /^\/[^\s"'`$\\]*$/,
    "expected an absolute path without spaces or quotes ({server} stands for the server's name)",
  );
const queueName = z
  .string()
  .regex(/^[A-Za-z0-9_-]{1,64}$/, "expected a queue name (letters, digits, - and _)");
const cron = z
  .string()
  .regex(/^(\S+\s+){4}\S+$/, "expected five cron fields, e.g. 15 3 * * * (03:15 every day)");

const appSchema = z.strictObject({
  /** Folder name under apps/ and subdomain: flow serves flow.<domain>. */
  name: slug,
  /** Port its Node process listens on, behind nginx on the same server. */
  port: appPort,
  /** The app's own database (seed: flow → klueportal, links → links_db). */
  database: databaseName,
});

const serverSchema = z.strictObject({
  name: slug,
  /** The private address the other servers reach it on. */
  address,
  roles: z.array(z.enum(ROLES)).min(1, "give the server at least one role"),
  /** RAM; sizes Redis maxmemory and the InnoDB buffer pool. */
  memory: memory.default(1024),
  cpus: z.number().int().min(1).max(256).default(1),
  /** Worker processes on this server (overrides workers.processes). */
  workerProcesses: z.number().int().min(1).max(64).optional(),
  /** Queues this server's workers serve, in priority order (overrides workers.queues). */
  workerQueues: z.array(queueName).optional(),
});

const tlsSchema = z.strictObject({
  /** true once certbot has issued the certificate: port 80 then redirects to 443. */
  enabled: z.boolean().default(false),
  /** Let's Encrypt account mail (expiry warnings). */
  email: z.email().optional(),
  /** Where certbot keeps the certificate (default /etc/letsencrypt/live/<domain>). */
  certificateDir: absolutePath.optional(),
  /** The combined PEM HAProxy reads (default /etc/haproxy/certs/<domain>.pem). */
  haproxyCertificate: absolutePath.optional(),
  /** Send Strict-Transport-Security once TLS is on. */
  hsts: z.boolean().default(true),
});

const sentinelSchema = z.strictObject({
  port: port.default(26379),
  service: z
    .string()
    .regex(/^[A-Za-z0-9._-]+$/)
    .default("marg-redis"),
  quorum: z.number().int().min(1).max(9).default(2),
  downAfterMilliseconds: z.number().int().min(1000).default(5000),
  failoverTimeout: z.number().int().min(1000).default(10000),
  parallelSyncs: z.number().int().min(1).default(1),
});

const redisSchema = z.strictObject({
  /** 2 (default): sessions + queues on a noeviction instance, cache on an allkeys-lru one. 1: one noeviction instance. */
  instances: z.number().int().min(1).max(2).default(2),
  port: port.default(6379),
  maxmemory: memory.optional(),
  cache: z.strictObject({ port: port.default(6380), maxmemory: memory.optional() }).prefault({}),
  sentinel: sentinelSchema.prefault({}),
  /** RDB/AOF files (Debian: /var/lib/redis). */
  dataDir: absolutePath.default("/var/lib/redis"),
  /** Log files (Debian: /var/log/redis). */
  logDir: absolutePath.default("/var/log/redis"),
  /** Parent of the pid-file folders redis/ and redis-cache/ (Debian: /run). */
  runDir: absolutePath.default("/run"),
});

const mysqlSchema = z.strictObject({
  /** mysql (8.x) or mariadb (10.6+); decides cnf options and replication SQL. */
  flavor: z.enum(["mysql", "mariadb"]).default("mysql"),
  port: port.default(3306),
  maxConnections: z.number().int().min(10).max(100000).optional(),
  bufferPool: memory.optional(),
  /** Seconds after which a query lands in the slow log (seed: 2). */
  longQueryTime: z.number().min(0).max(3600).default(2),
  /** Connections each MARG process may open per database (DB_POOL_SIZE). */
  poolSize: z.number().int().min(1).max(1000).default(10),
  appUser: sqlUser.default("marg_app"),
  backupUser: sqlUser.default("marg_backup"),
  replicationUser: sqlUser.default("marg_replica"),
  rbacDatabase: databaseName.default("marg-rbac"),
  businessDatabase: databaseName.default("klue_portal_business"),
  /**
   * Host parts of the app user's accounts, e.g. ["10.0.1.%"]; default one per
   * app/worker server address. Set it when servers reach MySQL through NAT or
   * all from one address (several servers on one machine: ["127.0.0.1"]).
   */
  appUserHosts: z
    .array(
      z
        .string()
        .regex(/^[A-Za-z0-9.%:_-]{1,255}$/, "expected an address, a pattern like 10.0.1.% or localhost"),
    )
    .min(1)
    .optional(),
});

const workersSchema = z.strictObject({
  /** Queues every worker serves, first served first (default: every queue MARG dispatches to). */
  queues: z.array(queueName).default([...MARG_QUEUES]),
  processes: z.number().int().min(1).max(64).default(3),
  sleep: z.number().int().min(0).default(3),
  tries: z.number().int().min(1).default(3),
  maxTime: z.number().int().min(0).default(3600),
  /** How long a stop waits for the running job (seed: 3600). */
  stopWaitSeconds: z.number().int().min(1).default(3600),
});

const installSchema = z.strictObject({
  /** The MARG installation on each app/worker server (MARG_ROOT): .env.shared, apps/<app>/.env, storage. */
  root: absolutePath.default("/srv/marg"),
  /** The checkout holding packages/cli/bin/marg-compiled.js (default: root, where `marg deploy` puts the code). */
  code: absolutePath.optional(),
  /** Unprivileged system user the apps and workers run as. */
  user: slug.default("marg"),
  node: absolutePath.default("/usr/bin/node"),
  processManager: z.enum(["systemd", "supervisor"]).default("systemd"),
  logDir: serverPath.default("/var/log/marg"),
  /** supervisord's control socket (Debian: /var/run/supervisor.sock); supervisorctl and `marg deploy` use it. */
  supervisorSocket: serverPath.default("/var/run/supervisor.sock"),
  /** Seconds an app gets to finish requests after SIGTERM (SHUTDOWN_TIMEOUT). */
  shutdownTimeout: z.number().int().min(1).max(3600).default(30),
  /**
   * Seconds a supervisord program must stay up to count as started (startsecs); each
   * `supervisorctl restart` waits this long. Production keeps 5 (the seed's).
   */
  startSeconds: z.number().int().min(0).max(300).default(5),
});

const mailSchema = z.strictObject({
  /** smtp sends through `host`; log writes .eml files under storage/mail (no mail leaves). */
  mailer: z.enum(["smtp", "log"]).default("smtp"),
  host: z
    .string()
    .regex(/^[A-Za-z0-9.:-]{1,253}$/, "expected a host name or address")
    .optional(),
  port: port.default(587),
  /** SMTP login; its password is MAIL_PASSWORD in the fleet's secrets.env (never in the inventory). */
  username: z.string().min(1).max(320).optional(),
  /** starttls (port 587), tls (port 465) or none (a relay on the private network). */
  encryption: z.enum(["starttls", "tls", "none"]).default("starttls"),
  /** Default noreply@<domain>. */
  fromAddress: z.email().optional(),
  fromName: z.string().min(1).max(100).optional(),
});

const nginxSchema = z.strictObject({
  /** The port nginx listens on for plain HTTP on http servers (HAProxy's backends point at it). */
  port: port.default(80),
});

const haproxySchema = z.strictObject({
  /** The public HTTP and HTTPS ports of the load balancers. */
  port: port.default(80),
  httpsPort: port.default(443),
  /** Stats page and Prometheus exporter, on loopback. */
  statsPort: port.default(8404),
  /** The runtime API socket (level admin): marg-haproxy-server and `marg deploy:rolling` use it. */
  socket: serverPath.default("/run/haproxy/admin.sock"),
  /** Folder HAProxy chroots into after start (Debian: /var/lib/haproxy). */
  chroot: absolutePath.default("/var/lib/haproxy"),
  /** User and group HAProxy drops to. */
  user: slug.default("haproxy"),
});

const backupsSchema = z.strictObject({
  dir: absolutePath.default("/var/backups/marg"),
  keepDays: z.number().int().min(1).max(3650).default(7),
  mysqlSchedule: cron.default("15 3 * * *"),
  redisSchedule: cron.default("45 3 * * *"),
});

const sshSchema = z.strictObject({
  port: port.default(22),
  /** Addresses or CIDRs allowed to SSH in; empty: anyone, rate-limited. */
  allowFrom: z.array(source).default([]),
});

/** A Prometheus duration: 15s, 1m, 500ms, 1h30m. */
const promDuration = z
  .string()
  .regex(/^(\d+(ms|s|m|h|d|w|y))+$/, "expected a Prometheus duration such as 15s, 1m or 500ms");

/** Prometheus (rendered by the prometheus renderer): where it runs, how often, and alert timings. */
const monitoringSchema = z.strictObject({
  /** The server Prometheus runs on (default: the first http server). */
  server: slug.optional(),
  scrapeInterval: promDuration.default("15s"),
  evaluationInterval: promDuration.default("15s"),
  /** Worker N of a server serves /metrics on this port + N (WORKER_METRICS_PORT). */
  workerMetricsPort: appPort.default(9464),
  /** App N (in `apps` order, from 0) serves /metrics on this port + N on every http server (APP_METRICS_PORT). */
  appMetricsPort: appPort.default(9480),
  /** Where prometheus-node-exporter listens on every server (CPU, memory, disk). */
  nodeExporterPort: port.default(9100),
  /** `for:` of named alert rules, replacing the defaults (e.g. { MargWorkerDown: 2m }); "0s" fires at once. */
  alertFor: z.record(z.string(), promDuration).default({}),
  /** Alertmanagers to send alerts to, host:port; none: alerts show in Prometheus only. */
  alertmanagers: z.array(z.string().regex(/^[A-Za-z0-9.-]+:\d{1,5}$/, "expected host:port")).default([]),
});

export const inventorySchema = z.strictObject({
  /** Names the fleet in headers and file names. */
  name: slug.default("marg"),
  /** The seed's phase this fleet is (1 laptop, 2 four servers, 3 horizontal, 4 HA). */
  phase: z.number().int().min(1).max(4),
  /** Parent domain; apps live on <app>.<domain>. */
  domain: z
    .string()
    .regex(
      /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z0-9-]{2,}$/,
      "expected a domain such as marg.test",
    ),
  environment: z.enum(["production", "staging", "local"]).default("production"),
  apps: z.array(appSchema).min(1, "list at least one app"),
  servers: z.array(serverSchema).min(1, "list at least one server"),
  tls: tlsSchema.prefault({}),
  redis: redisSchema.prefault({}),
  mysql: mysqlSchema.prefault({}),
  workers: workersSchema.prefault({}),
  install: installSchema.prefault({}),
  backups: backupsSchema.prefault({}),
  ssh: sshSchema.prefault({}),
  /** How mail leaves: required for a production fleet (else password-reset mails stay on the server). */
  mail: mailSchema.optional(),
  nginx: nginxSchema.prefault({}),
  haproxy: haproxySchema.prefault({}),
  /**
   * Every server runs on this one machine (a rehearsal or a test): loopback
   * addresses are allowed, and nginx and the apps listen on their server's own
   * address instead of every address, so several servers share the machine.
   */
  singleHost: z.boolean().default(false),
  monitoring: monitoringSchema.prefault({}),
  /** Extra .env.shared lines (MAIL_*, LOG_LEVEL…); MARG names only, secrets excluded. */
  env: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
});

/** A validated inventory: defaults filled in, sizes in megabytes. */
export type Inventory = z.output<typeof inventorySchema>;
export type InventoryServer = Inventory["servers"][number];
export type InventoryApp = Inventory["apps"][number];
