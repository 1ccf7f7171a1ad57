import { describe, expect, it } from "vitest";
import { renderExample } from "../testing/example-fleets.js";

const rules = (script: string) =>
  script.split("\n").filter((line) => line.startsWith("ufw allow") || line.startsWith("ufw limit"));

describe("ufw scripts, derived from the inventory's addresses", () => {
  const phase3 = renderExample("phase3-horizontal");

  it("open Redis only to the http and worker servers (the seed's rule, for every server that needs it)", () => {
    const redis = rules(phase3.content("redis-1/usr/local/sbin/marg-ufw")).filter((line) =>
      line.includes("port 6379"),
    );
    const sources = redis.map((line) => /from (\S+)/.exec(line)?.[1]);
    expect(sources.sort()).toEqual([
      "192.168.1.10",
      "192.168.1.11",
      "192.168.1.12",
      "192.168.1.20",
      "192.168.1.21",
      "192.168.1.22",
    ]);
  });

  it("open MySQL to the app and worker servers, and to replicas for replication", () => {
    const mysql = rules(renderExample("phase4-ha").content("mysql-1/usr/local/sbin/marg-ufw")).filter(
      (line) => line.includes("port 3306"),
    );
    expect(mysql).toHaveLength(12);
    expect(mysql.join("\n")).toContain("from 192.168.1.61");
  });

  it("open an http server behind HAProxy to the load balancer only, and the load balancer to everyone", () => {
    expect(rules(phase3.content("http-1/usr/local/sbin/marg-ufw"))).toEqual([
      "ufw limit 22/tcp comment 'ssh'",
      "ufw allow from 192.168.1.5 to any port 80 proto tcp comment 'nginx (from HAProxy) from lb-1'",
    ]);
    expect(rules(phase3.content("lb-1/usr/local/sbin/marg-ufw"))).toContain(
      "ufw allow 443/tcp comment 'HAProxy (https)'",
    );
  });

  it("allow SSH before enabling, and only from ssh.allowFrom when it is set", () => {
    const script = renderExample("phase4-ha").content("worker-1/usr/local/sbin/marg-ufw");
    expect(script.indexOf("port 22")).toBeLessThan(script.indexOf("ufw --force enable"));
    const ssh = rules(script).filter((rule) => rule.includes("port 22 "));
    expect(ssh).toEqual(["ufw allow from 203.0.113.0/24 to any port 22 proto tcp comment 'ssh'"]);
  });

  it("open node_exporter and each worker's /metrics to the Prometheus server only", () => {
    const script = renderExample("phase4-ha").content("worker-1/usr/local/sbin/marg-ufw");
    expect(rules(script).filter((rule) => !rule.includes("port 22 "))).toEqual([
      "ufw allow from 192.168.1.10 to any port 9100 proto tcp comment 'node_exporter from http-1'",
      "ufw allow from 192.168.1.10 to any port 9465 proto tcp comment 'worker /metrics (9465) from http-1'",
      "ufw allow from 192.168.1.10 to any port 9466 proto tcp comment 'worker /metrics (9466) from http-1'",
      "ufw allow from 192.168.1.10 to any port 9467 proto tcp comment 'worker /metrics (9467) from http-1'",
    ]);
  });

  it("open each app's /metrics listener to the Prometheus server only, and keep it shut beside Prometheus", () => {
    const phase3 = renderExample("phase3-horizontal");
    const metrics = rules(phase3.content("http-3/usr/local/sbin/marg-ufw")).filter((rule) =>
      rule.includes("/metrics"),
    );
    expect(metrics).toEqual([
      "ufw allow from 192.168.1.10 to any port 9480 proto tcp comment 'app flow /metrics from http-1'",
      "ufw allow from 192.168.1.10 to any port 9481 proto tcp comment 'app links /metrics from http-1'",
      "ufw allow from 192.168.1.10 to any port 9482 proto tcp comment 'app admin /metrics from http-1'",
    ]);
    // Prometheus' own server scrapes its apps on loopback: nothing to open there.
    expect(phase3.content("http-1/usr/local/sbin/marg-ufw")).not.toContain("/metrics");
  });
});
