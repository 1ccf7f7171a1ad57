import { type Fleet, hasRole, monitoringServer } from "../fleet/fleet.js";
import { HAPROXY_STATS_PORT } from "../fleet/fleet-listeners.js";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import { renderAlertRules, SCRAPE_JOBS, type ScrapeJob } from "./alert-rules.js";
import { appMetricsPort, workerMetricsPorts } from "./marg-processes.js";
import { header, lines, MODE, serverFile } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

export const PROMETHEUS_DIR = "/etc/prometheus";
export const PROMETHEUS_CONF = `${PROMETHEUS_DIR}/prometheus.yml`;
export const ALERT_RULES_FILE = `${PROMETHEUS_DIR}/marg-alert-rules.yml`;
export const METRICS_TOKEN_FILE = `${PROMETHEUS_DIR}/marg-metrics-token`;

interface Target {
  readonly address: string;
  readonly labels: Readonly<Record<string, string>>;
}

/** How Prometheus reaches `server`: loopback on its own server, else the private address. */
function hostOf(prometheus: InventoryServer, server: InventoryServer): string {
  return prometheus.name === server.name ? "127.0.0.1" : server.address;
}

function scrapeJob(name: ScrapeJob, targets: readonly Target[], margToken: boolean): string[] {
  return [
    `  - job_name: ${name}`,
    "    metrics_path: /metrics",
    ...(margToken
      ? [
          "    authorization:",
          "      type: Bearer",
          "      # METRICS_TOKEN of .env.shared; a relative path is read beside this file.",
          `      credentials_file: ${METRICS_TOKEN_FILE.slice(PROMETHEUS_DIR.length + 1)}`,
        ]
      : []),
    "    static_configs:",
    ...targets.flatMap((target) => [
      `      - targets: ["${target.address}"]`,
      `        labels: { ${Object.entries(target.labels)
        .map(([key, value]) => `${key}: ${value}`)
        .join(", ")} }`,
    ]),
    "",
  ];
}

/** Every scrape job with its targets; jobs without targets are left out. */
function scrapeJobs(fleet: Fleet, prometheus: InventoryServer): Map<ScrapeJob, Target[]> {
  const { monitoring } = fleet.inventory;
  const jobs = new Map<ScrapeJob, Target[]>();
  jobs.set(
    SCRAPE_JOBS.apps,
    // Each app's own /metrics listener (APP_METRICS_PORT): the app's port stays on loopback.
    fleet.https.flatMap((server) =>
      fleet.apps.map((app) => ({
        address: `${hostOf(prometheus, server)}:${appMetricsPort(fleet, app)}`,
        labels: { app: app.name, server: server.name },
      })),
    ),
  );
  jobs.set(
    SCRAPE_JOBS.workers,
    fleet.workers.flatMap((server) =>
      workerMetricsPorts(fleet, server).map((port) => ({
        address: `${hostOf(prometheus, server)}:${port}`,
        labels: { server: server.name },
      })),
    ),
  );
  jobs.set(
    SCRAPE_JOBS.node,
    fleet.servers.map((server) => ({
      address: `${hostOf(prometheus, server)}:${monitoring.nodeExporterPort}`,
      labels: { server: server.name },
    })),
  );
  // HAProxy's exporter listens on loopback: only a Prometheus on the lb itself reaches it.
  if (hasRole(prometheus, "lb"))
    jobs.set(SCRAPE_JOBS.haproxy, [
      { address: `127.0.0.1:${HAPROXY_STATS_PORT}`, labels: { server: prometheus.name } },
    ]);
  for (const [job, targets] of jobs) if (targets.length === 0) jobs.delete(job);
  return jobs;
}

function prometheusYml(fleet: Fleet, prometheus: InventoryServer, jobs: Map<ScrapeJob, Target[]>): string {
  const { monitoring } = fleet.inventory;
  const marg = new Set<ScrapeJob>([SCRAPE_JOBS.apps, SCRAPE_JOBS.workers]);
  return lines(
    header(fleet, `Prometheus on ${prometheus.name}: every MARG process, node_exporter, HAProxy.`),
    "# Each process is scraped directly, never through nginx or HAProxy (every scrape",
    "# would land on another server and counters would jump). Check: promtool check config",
    "",
    "global:",
    `  scrape_interval: ${monitoring.scrapeInterval}`,
    `  evaluation_interval: ${monitoring.evaluationInterval}`,
    `  external_labels: { fleet: ${fleet.inventory.name} }`,
    "",
    "rule_files:",
    `  - ${ALERT_RULES_FILE.slice(PROMETHEUS_DIR.length + 1)}`,
    "",
    monitoring.alertmanagers.length > 0 && [
      "alerting:",
      "  alertmanagers:",
      "    - static_configs:",
      `        - targets: [${monitoring.alertmanagers.map((target) => `"${target}"`).join(", ")}]`,
      "",
    ],
    "scrape_configs:",
    ...[...jobs].flatMap(([job, targets]) => scrapeJob(job, targets, marg.has(job))),
  );
}

/**
 * /etc/prometheus on the monitoring server (monitoring.server, default the first
 * http server): prometheus.yml with every app and worker of the fleet as a
 * target, MARG's alert rules with the inventory's timings, and the metrics token
 * Prometheus sends (mode 600, owned by prometheus).
 */
export function renderPrometheus({ fleet, secrets }: RenderInput): RenderedFile[] {
  const prometheus = monitoringServer(fleet);
  const jobs = scrapeJobs(fleet, prometheus);
  const rules = renderAlertRules({
    scraped: [...jobs.keys()],
    alertFor: fleet.inventory.monitoring.alertFor,
  });
  return [
    serverFile(prometheus, PROMETHEUS_CONF, prometheusYml(fleet, prometheus, jobs), MODE.config),
    serverFile(prometheus, ALERT_RULES_FILE, rules, MODE.config),
    serverFile(
      prometheus,
      METRICS_TOKEN_FILE,
      `${secrets.METRICS_TOKEN}\n`,
      MODE.secret,
      "prometheus:prometheus",
    ),
  ];
}
