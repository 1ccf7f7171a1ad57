import { appUrl, type Fleet, runsMarg } from "../fleet/fleet.js";
import { dotenvValue, type FleetSecrets } from "../secrets/fleet-secrets.js";
import { header, lines, MODE, serverFile } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

type Section = readonly [title: string, entries: readonly (readonly [string, string | undefined])[]];

const envValue = dotenvValue;

/**
 * MAIL_*: how mail leaves the fleet. Without a mail: section mails stay on the
 * server as .eml files (MAIL_MAILER's default, log); checkInventory refuses
 * that for production unless the inventory says `mail: { mailer: log }`.
 */
function mailEntries(fleet: Fleet, secrets: FleetSecrets): Section[1] {
  const { mail, domain } = fleet.inventory;
  const from = mail?.fromAddress ?? `noreply@${domain}`;
  if (mail === undefined || mail.mailer === "log")
    return [
      ["MAIL_MAILER", mail === undefined ? undefined : "log"],
      ["MAIL_FROM_ADDRESS", from],
      ["MAIL_FROM_NAME", mail?.fromName],
    ];
  return [
    ["MAIL_MAILER", "smtp"],
    ["MAIL_HOST", mail.host],
    ["MAIL_PORT", String(mail.port)],
    ["MAIL_ENCRYPTION", mail.encryption],
    ["MAIL_USERNAME", mail.username],
    ["MAIL_PASSWORD", mail.username === undefined ? undefined : secrets.MAIL_PASSWORD],
    ["MAIL_FROM_ADDRESS", from],
    ["MAIL_FROM_NAME", mail.fromName],
  ];
}

function sections(fleet: Fleet, secrets: FleetSecrets): Section[] {
  const { inventory, redis, mysql } = fleet;
  const db = mysql.primary;
  const port = String(inventory.mysql.port);
  const sentinels = redis.sentinels.map((server) => `${server.address}:${inventory.redis.sentinel.port}`);
  const readHosts = mysql.replicas.map((server) => `${server.address}:${port}`);
  const driver = inventory.mysql.flavor;
  return [
    [
      "App",
      [
        ["APP_ENV", inventory.environment],
        ["APP_KEY", secrets.APP_KEY],
        ["MARG_APPS", fleet.apps.map((app) => app.name).join(",")],
        ["MARG_DOMAIN", inventory.domain],
        // Apps listen on loopback; nginx on the same server is their only client.
        ["HOST", "127.0.0.1"],
        ["SHUTDOWN_TIMEOUT", String(inventory.install.shutdownTimeout)],
        // Said out loud, not left to the default: strangers make no accounts unless the inventory opts in.
        ["REGISTRATION_ENABLED", "false"],
      ],
    ],
    [
      "Session (must be identical on every server)",
      [
        ["SESSION_DRIVER", "redis"],
        ["SESSION_LIFETIME", "10080"],
        ["SESSION_ENCRYPT", "true"],
        ["SESSION_PATH", "/"],
        ["SESSION_DOMAIN", `.${inventory.domain}`],
        ["SESSION_COOKIE", "marg_session"],
      ],
    ],
    [
      "Redis: sessions + queues (noeviction)",
      [
        ["REDIS_HOST", redis.primary.address],
        ["REDIS_PORT", String(redis.port)],
        ["REDIS_PASSWORD", secrets.REDIS_PASSWORD],
        ["REDIS_DB", "0"],
        ["REDIS_PREFIX", "marg_database_"],
        ["REDIS_SENTINELS", sentinels.length > 0 ? sentinels.join(",") : undefined],
        ["REDIS_SENTINEL_SERVICE", sentinels.length > 0 ? inventory.redis.sentinel.service : undefined],
        ["REDIS_SENTINEL_PASSWORD", sentinels.length > 0 ? secrets.REDIS_SENTINEL_PASSWORD : undefined],
      ],
    ],
    [
      redis.cache === undefined
        ? "Cache (shares the one Redis instance)"
        : "Cache: its own Redis (allkeys-lru)",
      [
        ["CACHE_STORE", "redis"],
        ["CACHE_PREFIX", "marg"],
        ["CACHE_REDIS_HOST", redis.cache?.server.address],
        ["CACHE_REDIS_PORT", redis.cache === undefined ? undefined : String(redis.cache.port)],
        ["CACHE_REDIS_PASSWORD", redis.cache === undefined ? undefined : secrets.CACHE_REDIS_PASSWORD],
      ],
    ],
    [
      "MySQL: writes go to DB_HOST, reads to DB_READ_HOSTS",
      [
        ["DB_CONNECTION", driver],
        ["DB_HOST", db.address],
        ["DB_PORT", port],
        ["DB_USERNAME", inventory.mysql.appUser],
        ["DB_PASSWORD", secrets.DB_PASSWORD],
        ["DB_READ_HOSTS", readHosts.length > 0 ? readHosts.join(",") : undefined],
        ["DB_POOL_SIZE", String(inventory.mysql.poolSize)],
      ],
    ],
    [
      "RBAC database (shared by every app)",
      [
        ["RBAC_DB_DRIVER", driver],
        ["RBAC_DB_HOST", db.address],
        ["RBAC_DB_PORT", port],
        ["RBAC_DB_DATABASE", inventory.mysql.rbacDatabase],
        ["RBAC_DB_USERNAME", inventory.mysql.appUser],
        ["RBAC_DB_PASSWORD", secrets.DB_PASSWORD],
        ["RBAC_CACHE_ENABLED", "true"],
        ["RBAC_CACHE_TTL", "3600"],
        ["BUSINESS_DB_DATABASE", inventory.mysql.businessDatabase],
      ],
    ],
    ["Queue", [["QUEUE_CONNECTION", "redis"]]],
    ["Mail", mailEntries(fleet, secrets)],
    [
      "Metrics: Prometheus sends METRICS_TOKEN; worker N serves /metrics on WORKER_METRICS_PORT + N",
      [
        ["METRICS_TOKEN", secrets.METRICS_TOKEN],
        ["WORKER_METRICS_PORT", String(inventory.monitoring.workerMetricsPort)],
      ],
    ],
  ];
}

/** The fleet's .env.shared; the inventory's `env:` entries replace defaults or are added at the end. */
export function envSharedContent(fleet: Fleet, secrets: FleetSecrets): string {
  const extra = new Map(Object.entries(fleet.inventory.env).map(([name, value]) => [name, String(value)]));
  const out: string[] = [];
  for (const [title, entries] of sections(fleet, secrets)) {
    const present = entries.filter((entry): entry is readonly [string, string] => entry[1] !== undefined);
    out.push("", `# ${title}`);
    for (const [name, value] of present) {
      out.push(`${name}=${envValue(extra.get(name) ?? value)}`);
      extra.delete(name);
    }
  }
  if (extra.size > 0) {
    out.push("", "# From the inventory's env:");
    for (const [name, value] of extra) out.push(`${name}=${envValue(value)}`);
  }
  return lines(
    header(fleet, ".env.shared: the configuration every MARG app and worker shares (mode 600)."),
    out,
  );
}

function appEnv(fleet: Fleet, name: string): string {
  const app = fleet.apps.find((candidate) => candidate.name === name);
  if (app === undefined) return "";
  return lines(
    header(fleet, `apps/${app.name}/.env: what only ${app.name} sets.`),
    `APP_URL=${appUrl(fleet, app)}`,
    `DB_DATABASE=${app.database}`,
  );
}

/** .env.shared and each app's .env on every server that runs MARG (its install root). */
export function renderEnvFiles({ fleet, secrets }: RenderInput): RenderedFile[] {
  const { install } = fleet.inventory;
  const owner = `${install.user}:${install.user}`;
  const shared = envSharedContent(fleet, secrets);
  return fleet.servers
    .filter(runsMarg)
    .flatMap((server) => [
      serverFile(server, `${install.root}/.env.shared`, shared, MODE.secret, owner),
      ...fleet.apps.map((app) =>
        serverFile(
          server,
          `${install.root}/apps/${app.name}/.env`,
          appEnv(fleet, app.name),
          MODE.secret,
          owner,
        ),
      ),
    ]);
}
