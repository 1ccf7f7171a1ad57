/**
 * MARG's Prometheus alert rules, defined once: the prometheus renderer writes
 * them for a fleet (with the inventory's `monitoring.alertFor` timings) and
 * deploy/monitoring/alert-rules.yml is the same render with the defaults
 * (a test keeps the two equal). Each rule names the scrape job its metric
 * comes from, so a fleet whose Prometheus cannot scrape that job gets no rule
 * that could never fire.
 */

/** Scrape jobs of the rendered prometheus.yml. */
export const SCRAPE_JOBS = {
  apps: "marg-apps",
  workers: "marg-workers",
  node: "node",
  haproxy: "haproxy",
} as const;
export type ScrapeJob = (typeof SCRAPE_JOBS)[keyof typeof SCRAPE_JOBS];

export interface AlertRule {
  readonly group: "marg-hosts" | "marg-services" | "marg-application";
  readonly alert: string;
  readonly expr: string;
  /** Default `for:`; undefined fires on the first evaluation that matches. */
  readonly for: string | undefined;
  readonly severity: "warning" | "critical";
  readonly summary: string;
  readonly description: string;
  /** The scrape jobs whose metrics the rule reads (any one scraped is enough). */
  readonly needs: readonly ScrapeJob[];
  /** A comment above the rule (why the expression is written so). */
  readonly note?: string;
}

const { apps, workers, node, haproxy } = SCRAPE_JOBS;

export const ALERT_RULES: readonly AlertRule[] = [
  {
    group: "marg-hosts",
    alert: "HostHighCpu",
    expr: '100 - (avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m])) * 100) > 80',
    for: "10m",
    severity: "warning",
    summary: "CPU above 80% on {{ $labels.instance }} for 10 minutes",
    description:
      "The seed's CPU alert. On an http server: add one (phase 3). On the worker: fewer --concurrency or another worker server.",
    needs: [node],
  },
  {
    group: "marg-hosts",
    alert: "HostHighMemory",
    expr: "(1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) * 100 > 90",
    for: "5m",
    severity: "critical",
    summary: "Memory above 90% on {{ $labels.instance }}",
    description:
      "The seed's memory alert. Next comes the OOM killer; on the Redis server, maxmemory is being reached.",
    needs: [node],
  },
  {
    group: "marg-hosts",
    alert: "HostDiskAlmostFull",
    expr: '(1 - node_filesystem_avail_bytes{fstype!~"tmpfs|overlay|squashfs"} / node_filesystem_size_bytes{fstype!~"tmpfs|overlay|squashfs"}) * 100 > 85',
    for: "10m",
    severity: "warning",
    summary: "Disk {{ $labels.mountpoint }} on {{ $labels.instance }} is over 85% full",
    description:
      "The seed's disk alert (marg doctor reports the same). Logs, backups under /var/backups/marg and storage/ are the usual culprits.",
    needs: [node],
  },
  {
    group: "marg-services",
    alert: "ServiceDown",
    expr: `up{job!="${workers}"} == 0`,
    for: "1m",
    severity: "critical",
    summary: "{{ $labels.job }} on {{ $labels.instance }} does not answer its scrape",
    description:
      "The process or its server is down (the seed's 'service uptime'). supervisorctl status / systemctl status on that server.",
    needs: [apps, node, haproxy],
    note: "Workers have their own rule below.",
  },
  {
    group: "marg-services",
    alert: "MargWorkerDown",
    expr: `up{job="${workers}"} == 0`,
    for: "1m",
    severity: "critical",
    summary: "Worker {{ $labels.instance }} does not answer its scrape",
    description:
      "The worker process is down, so its jobs wait (mail, reports, RBAC warm). supervisorctl status marg:* or systemctl status 'marg-worker@*' on that server; its log is /var/log/marg/marg-worker*.log.",
    needs: [workers],
  },
  {
    group: "marg-services",
    alert: "MargServerOutOfRotation",
    expr: 'haproxy_server_status{state="DOWN"} == 1',
    for: "1m",
    severity: "critical",
    summary: "HAProxy holds {{ $labels.server }} of {{ $labels.proxy }} DOWN",
    description:
      "Its /health answers 503: its database or Redis is unreachable (curl it: the body names the failing check).",
    needs: [haproxy],
  },
  {
    group: "marg-application",
    alert: "MargQueueBacklog",
    expr: 'sum(max by (queue) (marg_queue_jobs{state="waiting"})) > 1000',
    for: "10m",
    severity: "warning",
    summary: "{{ $value }} jobs waiting (over the seed's 1000)",
    description:
      "Workers are down, stuck or too few. marg queue:status; marg doctor; restart or add workers.",
    needs: [apps, workers],
    note: "Every process reads the same shared queue, so take one reading per queue, not the sum of all scrapes.",
  },
  {
    group: "marg-application",
    alert: "MargJobsFailing",
    expr: 'sum by (queue, job_name) (increase(marg_job_failures_total{final="true"}[15m])) > 0',
    for: undefined,
    severity: "warning",
    summary:
      "Jobs {{ $labels.job_name }} of queue {{ $labels.queue }} went to failed jobs in the last 15 minutes",
    description: "marg queue:failed shows why; marg queue:retry <id|all> once fixed.",
    needs: [workers],
    note: "job_name, not job: Prometheus' own `job` label is the scrape job.",
  },
  {
    group: "marg-application",
    alert: "MargHigh5xxRate",
    expr: [
      'sum by (app) (rate(marg_http_requests_total{status=~"5.."}[5m]))',
      "  / sum by (app) (rate(marg_http_requests_total[5m])) > 0.05",
    ].join("\n"),
    for: "5m",
    severity: "critical",
    summary: "More than 5% of {{ $labels.app }}'s responses are 5xx",
    description:
      "The app log's request ids name the failing requests; /health and marg doctor name a failing dependency.",
    needs: [apps],
  },
  {
    group: "marg-application",
    alert: "MargSlowResponses",
    expr: "histogram_quantile(0.95, sum by (app, le) (rate(marg_http_request_duration_seconds_bucket[5m]))) > 1",
    for: "10m",
    severity: "warning",
    summary: "95th percentile response time of {{ $labels.app }} above 1 s",
    description:
      "Look at marg_db_pool_connections (pool exhausted?), marg_redis_command_duration_seconds and the slow query log.",
    needs: [apps],
  },
  {
    group: "marg-application",
    alert: "MargEventLoopLag",
    expr: "nodejs_eventloop_lag_p99_seconds > 0.5",
    for: "5m",
    severity: "warning",
    summary: "Event loop of {{ $labels.instance }} lags {{ $value }}s (p99)",
    description: "Something blocks the process (CPU-heavy work in a request, sync I/O). Move it to a job.",
    needs: [apps, workers],
  },
];

export const ALERT_NAMES: readonly string[] = ALERT_RULES.map((rule) => rule.alert);

const quote = (text: string) => `"${text.replaceAll("\\", "\\\\").replaceAll('"', '\\"')}"`;

function ruleLines(rule: AlertRule, forDuration: string | undefined): string[] {
  const expr = rule.expr.includes("\n")
    ? ["        expr: |", ...rule.expr.split("\n").map((line) => `          ${line}`)]
    : [`        expr: ${rule.expr}`];
  return [
    ...(rule.note === undefined ? [] : [`      # ${rule.note}`]),
    `      - alert: ${rule.alert}`,
    ...expr,
    ...(forDuration === undefined ? [] : [`        for: ${forDuration}`]),
    `        labels: { severity: ${rule.severity} }`,
    "        annotations:",
    `          summary: ${quote(rule.summary)}`,
    `          description: ${quote(rule.description)}`,
    "",
  ];
}

/**
 * The rules file. `scraped` leaves out rules none of whose jobs is scraped;
 * `alertFor` replaces rules' `for:` by alert name ("0s" drops it).
 */
export function renderAlertRules(
  options: { scraped?: readonly ScrapeJob[]; alertFor?: Readonly<Record<string, string>> } = {},
): string {
  const scraped = new Set<ScrapeJob>(options.scraped ?? Object.values(SCRAPE_JOBS));
  const kept = ALERT_RULES.filter((rule) => rule.needs.some((job) => scraped.has(job)));
  const groups = [...new Set(kept.map((rule) => rule.group))];
  const out = [
    "# Alert rules for MARG: the seed's thresholds (CPU > 80%, memory > 90%,",
    "# disk > 85%, service uptime) plus the application's own signals (workers",
    "# down, queue backlog, failed jobs, 5xx rate, servers out of HAProxy's rotation).",
    "# Rendered from packages/deploy/src/render/alert-rules.ts; `for:` durations",
    "# come from the inventory's monitoring.alertFor. Check: promtool check rules <file>",
    "",
    "groups:",
  ];
  for (const group of groups) {
    out.push(`  - name: ${group}`, "    rules:");
    for (const rule of kept.filter((each) => each.group === group)) {
      const override = options.alertFor?.[rule.alert];
      const duration = override === undefined ? rule.for : /^0+[a-z]+$/.test(override) ? undefined : override;
      out.push(...ruleLines(rule, duration));
    }
  }
  return `${out.join("\n").trimEnd()}\n`;
}
