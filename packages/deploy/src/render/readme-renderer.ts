import type { Fleet } from "../fleet/fleet.js";
import { targetPath } from "./text.js";
import type { RenderedFile } from "./types.js";

/** What a rendered file is, for README.txt; matched by its path on the server. */
const DESCRIPTIONS: readonly (readonly [RegExp, string])[] = [
  [/^\/install\.sh$/, "run as root on this server: installs packages and every file below"],
  [/sites-available\/marg-default\.conf$/, "nginx catch-all: drops requests for unknown hosts"],
  [/sites-available\/marg-(.+)\.conf$/, "nginx site of the $1 app"],
  [/haproxy\.cfg$/, "HAProxy: routes by host, checks /health, runtime API socket"],
  [/marg-haproxy-server$/, "take an http server out of rotation and back (drain/ready)"],
  [/redis\/redis\.conf$/, "Redis for sessions + queues (noeviction, RDB + AOF)"],
  [/redis-cache\.conf$/, "Redis for the cache (allkeys-lru), run as redis-server@cache"],
  [/sentinel\.conf$/, "Redis Sentinel"],
  [/sysctl\.d\//, "vm.overcommit_memory for Redis's background saves"],
  [/mysqld\.cnf$/, "MySQL/MariaDB server settings"],
  [/01-databases-and-users\.sql$/, "databases, app/backup/replication users and grants"],
  [/02-replication\.sql$/, "makes this server a replica of the primary"],
  [/supervisor\/conf\.d\//, "supervisor programs: apps and workers"],
  [/marg\.target$/, "systemd target grouping every MARG unit"],
  [/\.service$/, "systemd unit"],
  [/marg-ufw$/, "firewall rules from the inventory's addresses"],
  [/marg-certbot$/, "fetches the TLS certificate"],
  [/marg-certbot-deploy-hook$/, "reloads the web server after each renewal"],
  [/marg-mysql-backup$/, "nightly mysqldump of MARG's databases"],
  [/marg-backup\.cnf$/, "the backup user's credentials"],
  [/marg-redis-backup$/, "nightly Redis snapshot"],
  [/cron\.d\//, "backup schedule"],
  [/\.env\.shared$/, "configuration shared by every app and worker"],
  [/apps\/(.+)\/\.env$/, "what only the $1 app sets (APP_URL, DB_DATABASE)"],
];

export function describeFile(path: string): string {
  for (const [pattern, text] of DESCRIPTIONS) {
    const match = pattern.exec(path);
    if (match) return text.replace("$1", match[1] ?? "");
  }
  return "";
}

/** README.txt at the top of the output folder: what goes where, and what to do next. */
export function renderReadme(
  fleet: Fleet,
  files: readonly RenderedFile[],
  warnings: readonly string[],
): RenderedFile {
  const { inventory } = fleet;
  const out = [
    `MARG fleet "${inventory.name}": phase ${inventory.phase}, apps on *.${inventory.domain}`,
    "Rendered by `marg infra:render`. Edit the inventory and render again rather than editing these files.",
    "",
    "Each folder is one server. Inside it, a file sits at the path it takes on that server",
    "(redis-1/etc/redis/redis.conf goes to /etc/redis/redis.conf). Copy the folder to its",
    "server and run `sudo bash install.sh` there: it installs the packages, puts each file",
    "in place with its owner and mode, reloads the services and turns on the firewall.",
    "",
    "secrets.env holds every generated password and the APP_KEY (mode 600). Rendering again",
    "into this folder keeps them. Put a copy in the team's password manager.",
    "The runbook is docs/operations.md; what each file departs from in the seed, docs/deploy.md.",
  ];
  for (const server of fleet.servers) {
    out.push("", `${server.name} (${server.address}): ${server.roles.join(", ")}`);
    const own = files.filter((file) => file.path.startsWith(`${server.name}/`));
    const width = Math.max(...own.map((file) => targetPath(file).length));
    for (const file of own) {
      const path = targetPath(file);
      out.push(`  ${path.padEnd(width)}  ${describeFile(path)}`.trimEnd());
    }
  }
  if (warnings.length > 0) out.push("", "Warnings:", ...warnings.map((warning) => `  - ${warning}`));
  return { path: "README.txt", content: `${out.join("\n")}\n`, mode: 0o644 };
}
