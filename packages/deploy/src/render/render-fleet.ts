import type { Fleet } from "../fleet/fleet.js";
import { type FleetSecrets, renderSecretsFile } from "../secrets/fleet-secrets.js";
import { renderBackups } from "./backup-cron-renderer.js";
import { renderCertbot } from "./certbot-renderer.js";
import { renderEnvFiles } from "./env-shared-renderer.js";
import { renderHaproxy } from "./haproxy-renderer.js";
import { renderInstallScripts } from "./install-script-renderer.js";
import { renderMysqlReplicationSql } from "./mysql-replication-renderer.js";
import { renderMysqlSetupSql } from "./mysql-sql-renderer.js";
import { renderMysqldCnfs } from "./mysqld-cnf-renderer.js";
import { renderNginxSites } from "./nginx-site-renderer.js";
import { renderPrometheus } from "./prometheus-renderer.js";
import { renderReadme } from "./readme-renderer.js";
import { renderRedisConfs } from "./redis-conf-renderer.js";
import { renderSentinelConfs } from "./sentinel-conf-renderer.js";
import { renderSupervisor } from "./supervisor-renderer.js";
import { renderSystemdUnits } from "./systemd-renderer.js";
import { MODE } from "./text.js";
import type { RenderedFile, Renderer } from "./types.js";
import { renderUfw } from "./ufw-renderer.js";

/** Every renderer, one per config kind, in the order their files are listed. */
export const RENDERERS: readonly Renderer[] = [
  renderNginxSites,
  renderHaproxy,
  renderRedisConfs,
  renderSentinelConfs,
  renderMysqldCnfs,
  renderMysqlSetupSql,
  renderMysqlReplicationSql,
  renderSupervisor,
  renderSystemdUnits,
  renderEnvFiles,
  renderUfw,
  renderCertbot,
  renderBackups,
  renderPrometheus,
];

/** The secrets file's name in the output folder. */
export const SECRETS_FILE = "secrets.env";

/**
 * Renders the whole fleet: every server's files (grouped by server, in
 * inventory order), each server's install.sh, secrets.env and README.txt.
 * Pure: nothing is written.
 *
 * @example
 * const { fleet, warnings } = loadInventory("deploy/inventory.example.yml");
 * const files = renderFleet(fleet, completeSecrets().secrets, warnings);
 */
export function renderFleet(
  fleet: Fleet,
  secrets: FleetSecrets,
  warnings: readonly string[] = [],
): RenderedFile[] {
  const rendered = RENDERERS.flatMap((render) => render({ fleet, secrets }));
  const order = new Map(fleet.servers.map((server, index) => [server.name, index]));
  const serverOf = (file: RenderedFile) => order.get(file.path.slice(0, file.path.indexOf("/"))) ?? 0;
  // A stable sort keeps each renderer's order within a server.
  const files = [...rendered].sort((a, b) => serverOf(a) - serverOf(b));
  const install = renderInstallScripts(fleet, files);
  const all = fleet.servers.flatMap((server) => [
    ...install.filter((file) => file.path.startsWith(`${server.name}/`)),
    ...files.filter((file) => file.path.startsWith(`${server.name}/`)),
  ]);
  return [
    renderReadme(fleet, all, warnings),
    { path: SECRETS_FILE, content: renderSecretsFile(secrets, fleet.inventory.name), mode: MODE.secret },
    ...all,
  ];
}
