import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { checkInventory } from "../inventory/inventory-checks.js";
import { loadExample, REPO_ROOT, renderExample } from "../testing/example-fleets.js";
import { renderAlertRules } from "./alert-rules.js";

interface PromConfig {
  global: Record<string, unknown>;
  rule_files: string[];
  alerting?: unknown;
  scrape_configs: {
    job_name: string;
    authorization?: { credentials_file?: string };
    static_configs: { targets: string[]; labels: Record<string, string> }[];
  }[];
}

const targetsOf = (config: PromConfig, job: string) =>
  config.scrape_configs
    .find((each) => each.job_name === job)
    ?.static_configs.flatMap((each) => each.targets) ?? [];

describe("the prometheus renderer", () => {
  const phase2 = renderExample("phase2-four-servers");
  const config = parse(phase2.content("http-1/etc/prometheus/prometheus.yml")) as PromConfig;

  it("puts Prometheus on the first http server, scraping its apps' /metrics listeners and each worker on its own port", () => {
    // monitoring.appMetricsPort (9480) + the app's place in `apps`, never the app's own port.
    expect(targetsOf(config, "marg-apps")).toEqual(["127.0.0.1:9480", "127.0.0.1:9481", "127.0.0.1:9482"]);
    // supervisor numbers the three workers 0, 1, 2: WORKER_METRICS_PORT + WORKER_INDEX.
    expect(targetsOf(config, "marg-workers")).toEqual([
      "192.168.1.20:9464",
      "192.168.1.20:9465",
      "192.168.1.20:9466",
    ]);
    expect(targetsOf(config, "node")).toHaveLength(4);
    expect(config.scrape_configs.map((each) => each.job_name)).not.toContain("haproxy");
    for (const job of ["marg-apps", "marg-workers"])
      expect(
        config.scrape_configs.find((each) => each.job_name === job)?.authorization?.credentials_file,
      ).toBe("marg-metrics-token");
  });

  it("gives the workers their number and address, and Prometheus the token of .env.shared", () => {
    const supervisor = phase2.content("worker-1/etc/supervisor/conf.d/marg.conf");
    expect(supervisor).toContain('WORKER_METRICS_HOST="192.168.1.20",WORKER_INDEX="%(process_num)d"');
    const token = phase2.content("http-1/etc/prometheus/marg-metrics-token").trim();
    expect(phase2.content("worker-1/srv/marg/.env.shared")).toContain(`METRICS_TOKEN=${token}`);
    expect(phase2.content("worker-1/srv/marg/.env.shared")).toContain("WORKER_METRICS_PORT=9464");
    const file = phase2.files.find((each) => each.path === "http-1/etc/prometheus/marg-metrics-token");
    expect([file?.mode, file?.owner]).toEqual([0o600, "prometheus:prometheus"]);
  });

  it("numbers systemd's worker instances from 1, as marg-worker@1 … are named", () => {
    const phase3 = renderExample("phase3-horizontal");
    const unit = phase3.content("worker-1/etc/systemd/system/marg-worker@.service");
    expect(unit).toContain("Environment=WORKER_INDEX=%i");
    const rendered = parse(phase3.content("http-1/etc/prometheus/prometheus.yml")) as PromConfig;
    expect(
      targetsOf(rendered, "marg-workers").filter((target) => target.startsWith("192.168.1.20:")),
    ).toEqual(["192.168.1.20:9465", "192.168.1.20:9466", "192.168.1.20:9467"]);
  });

  it("takes intervals, alert timings and alertmanagers from the inventory's monitoring section", () => {
    const tuned = renderExample("phase2-four-servers", (inventory) => {
      Object.assign(inventory.monitoring, {
        scrapeInterval: "1s",
        evaluationInterval: "2s",
        alertFor: { MargWorkerDown: "5s", ServiceDown: "0s" },
        alertmanagers: ["192.168.1.99:9093"],
      });
    });
    const rendered = parse(tuned.content("http-1/etc/prometheus/prometheus.yml")) as PromConfig;
    expect(rendered.global).toMatchObject({ scrape_interval: "1s", evaluation_interval: "2s" });
    expect(rendered.alerting).toEqual({
      alertmanagers: [{ static_configs: [{ targets: ["192.168.1.99:9093"] }] }],
    });
    const rules = parse(tuned.content("http-1/etc/prometheus/marg-alert-rules.yml")) as {
      groups: { rules: { alert: string; for?: string }[] }[];
    };
    const byName = new Map(rules.groups.flatMap((group) => group.rules).map((rule) => [rule.alert, rule]));
    expect(byName.get("MargWorkerDown")?.for).toBe("5s");
    expect(byName.get("ServiceDown")?.for).toBeUndefined();
    expect(byName.get("HostHighCpu")?.for).toBe("10m");
    // No HAProxy job on http-1, so no rule on a metric this Prometheus never gets.
    expect(byName.has("MargServerOutOfRotation")).toBe(false);
  });

  it("scrapes HAProxy's exporter when Prometheus runs on the load balancer", () => {
    const onLb = renderExample("phase3-horizontal", (inventory) => {
      inventory.monitoring.server = "lb-1";
    });
    const rendered = parse(onLb.content("lb-1/etc/prometheus/prometheus.yml")) as PromConfig;
    expect(targetsOf(rendered, "haproxy")).toEqual(["127.0.0.1:8404"]);
    expect(onLb.content("lb-1/etc/prometheus/marg-alert-rules.yml")).toContain(
      "alert: MargServerOutOfRotation",
    );
  });

  it("scrapes every app on every http server, on the private address of the servers it does not run on", () => {
    const phase3 = renderExample("phase3-horizontal");
    const rendered = parse(phase3.content("http-1/etc/prometheus/prometheus.yml")) as PromConfig;
    const apps = rendered.scrape_configs.find((each) => each.job_name === "marg-apps")?.static_configs ?? [];
    expect(apps.map((each) => `${each.labels.server} ${each.labels.app} ${each.targets.join()}`)).toEqual([
      "http-1 flow 127.0.0.1:9480",
      "http-1 links 127.0.0.1:9481",
      "http-1 admin 127.0.0.1:9482",
      "http-2 flow 192.168.1.11:9480",
      "http-2 links 192.168.1.11:9481",
      "http-2 admin 192.168.1.11:9482",
      "http-3 flow 192.168.1.12:9480",
      "http-3 links 192.168.1.12:9481",
      "http-3 admin 192.168.1.12:9482",
    ]);
    // The processes listen where Prometheus looks: private address elsewhere, loopback beside it.
    const remote = phase3.content("http-2/etc/systemd/system/marg-links.service");
    expect(remote).toContain(
      "Environment=APP_METRICS_PORT=9481\nEnvironment=APP_METRICS_HOST=192.168.1.11\n",
    );
    const local = phase3.content("http-1/etc/systemd/system/marg-links.service");
    expect(local).toContain("Environment=APP_METRICS_PORT=9481\n");
    expect(local).not.toContain("APP_METRICS_HOST");
    expect(checkInventory(loadExample("phase3-horizontal").inventory)).toMatchObject({
      issues: [],
      warnings: [],
    });
  });

  it("refuses an unknown monitoring server or alert name", () => {
    const { inventory } = loadExample("phase3-horizontal");
    const wrong = checkInventory({
      ...inventory,
      monitoring: { ...inventory.monitoring, server: "http-9", alertFor: { MargWorkerDwn: "1m" } },
    });
    expect(wrong.issues.map((issue) => [issue.path.join("."), issue.fix])).toEqual([
      ["monitoring.server", expect.stringContaining("http-")],
      ["monitoring.alertFor.MargWorkerDwn", "did you mean MargWorkerDown?"],
    ]);
  });

  it("keeps deploy/monitoring/alert-rules.yml what the renderer writes with every job and the defaults", () => {
    const sample = readFileSync(path.join(REPO_ROOT, "deploy/monitoring/alert-rules.yml"), "utf8");
    expect(sample).toBe(renderAlertRules());
  });
});
