import { describe, expect, it } from "vitest";
import { runHealthChecks } from "./run-health-checks.js";
import type { HealthCheck } from "./types.js";

const ok = (name: string): HealthCheck => ({ name, run: async () => undefined });
const failing = (name: string, message: string): HealthCheck => ({
  name,
  run: async () => {
    throw new Error(message);
  },
});
const hanging = (name: string): HealthCheck => ({ name, run: () => new Promise(() => {}) });

describe("runHealthChecks", () => {
  it("answers in the seed's shape when every dependency is fine", async () => {
    const report = await runHealthChecks([ok("database"), ok("redis"), ok("queue")], { timeoutMs: 500 });
    expect(report).toMatchObject({
      status: "healthy",
      database: "connected",
      redis: "connected",
      queue: "healthy",
    });
    expect(Object.keys(report.checks)).toEqual(["database", "redis", "queue"]);
  });

  it("is unhealthy when one check fails, naming the failure", async () => {
    const report = await runHealthChecks(
      [failing("database", "connect ECONNREFUSED 127.0.0.1:1"), ok("redis")],
      {
        timeoutMs: 500,
      },
    );
    expect(report.status).toBe("unhealthy");
    expect(report.database).toBe("disconnected");
    expect(report.checks.database?.error).toContain("ECONNREFUSED");
  });

  it("gives up on a hanging dependency after the timeout instead of hanging itself", async () => {
    const report = await runHealthChecks([hanging("redis"), ok("database")], { timeoutMs: 50 });
    expect(report.status).toBe("unhealthy");
    expect(report.checks.redis?.error).toContain("no answer within 50 ms");
  });

  it("reports a backlog without failing, unless the backlog is marked critical", async () => {
    const backlog = (critical: boolean): HealthCheck => ({
      name: "queue",
      run: async () => ({ status: "backlog", degraded: true, critical, value: 1500 }),
    });
    const soft = await runHealthChecks([backlog(false)], { timeoutMs: 100 });
    expect(soft).toMatchObject({ status: "healthy", queue: "backlog" });
    expect(soft.checks.queue?.value).toBe(1500);
    const hard = await runHealthChecks([backlog(true)], { timeoutMs: 100 });
    expect(hard.status).toBe("unhealthy");
  });

  it("passes fixed words through, like redis 'not used' on the embedded drivers", async () => {
    const report = await runHealthChecks([ok("database")], { timeoutMs: 100, extra: { redis: "not used" } });
    expect(report).toMatchObject({ status: "healthy", redis: "not used" });
  });
});
