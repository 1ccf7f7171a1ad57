import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { createMargMetrics } from "./create-metrics.js";

// deploy/monitoring/ names MARG's metrics by hand; this keeps the names honest.

const DIR = path.resolve(import.meta.dirname, "../../../../deploy/monitoring");
const read = (file: string) => readFileSync(path.join(DIR, file), "utf8");

interface Rule {
  alert: string;
  expr: string;
  for?: string;
  labels?: { severity?: string };
  annotations?: { summary?: string; description?: string };
}

const rules = (): Rule[] =>
  (parse(read("alert-rules.yml")) as { groups: { rules: Rule[] }[] }).groups.flatMap((group) => group.rules);

describe("deploy/monitoring", () => {
  it("alerts at the seed's thresholds: CPU 80%, memory 90%, disk 85%, a service down", () => {
    const byName = new Map(rules().map((rule) => [rule.alert, rule.expr]));
    expect(byName.get("HostHighCpu")).toMatch(/> 80$/);
    expect(byName.get("HostHighMemory")).toMatch(/> 90$/);
    expect(byName.get("HostDiskAlmostFull")).toMatch(/> 85$/);
    expect(byName.get("ServiceDown")).toBe('up{job!="marg-workers"} == 0');
    expect(byName.get("MargWorkerDown")).toBe('up{job="marg-workers"} == 0');
    expect(byName.get("MargQueueBacklog")).toMatch(/> 1000$/);
    expect(byName.get("MargHigh5xxRate")).toContain('status=~"5.."');
  });

  it("gives every alert a severity and a summary", () => {
    for (const rule of rules()) {
      expect(["warning", "critical"], rule.alert).toContain(rule.labels?.severity);
      expect(rule.annotations?.summary, rule.alert).toBeTruthy();
    }
  });

  it("names only marg_ metrics that MARG exports", async () => {
    const exported = new Set(
      (await createMargMetrics({ processMetrics: false }).registry.getMetricsAsJSON()).map(
        (metric) => metric.name,
      ),
    );
    const named = `${read("alert-rules.yml")}\n${read("prometheus.yml")}`.match(/\bmarg_[a-z_]+/g) ?? [];
    const unknown = [...new Set(named)]
      .map((name) => name.replace(/_(bucket|count|sum)$/, ""))
      .filter((name) => !exported.has(name));
    expect(unknown).toEqual([]);
  });

  it("scrapes the apps and the workers with the metrics token", () => {
    const config = parse(read("prometheus.yml")) as {
      rule_files: string[];
      scrape_configs: { job_name: string; authorization?: { credentials_file?: string } }[];
    };
    expect(config.rule_files).toEqual(["alert-rules.yml"]);
    for (const job of ["marg-apps", "marg-workers"]) {
      const scrape = config.scrape_configs.find((each) => each.job_name === job);
      expect(scrape?.authorization?.credentials_file, job).toBeTruthy();
    }
  });

  // Debian's promtool (apt install prometheus) is part of the test machine: no skip.
  const promtool =
    ["/usr/bin/promtool", "/usr/local/bin/promtool"].find((file) => existsSync(file)) ?? "promtool";
  it("passes promtool's own checks of the rules and the scrape config", () => {
    execFileSync(promtool, ["check", "rules", path.join(DIR, "alert-rules.yml")]);
    // The config reads the token file beside it, which only a rendered fleet has.
    const temp = mkdtempSync(path.join(tmpdir(), "marg-monitoring-"));
    try {
      for (const file of ["prometheus.yml", "alert-rules.yml"])
        copyFileSync(path.join(DIR, file), path.join(temp, file));
      writeFileSync(path.join(temp, "marg-metrics-token"), "a-token-for-the-check\n");
      execFileSync(promtool, ["check", "config", path.join(temp, "prometheus.yml")]);
    } finally {
      rmSync(temp, { recursive: true, force: true });
    }
  });
});
