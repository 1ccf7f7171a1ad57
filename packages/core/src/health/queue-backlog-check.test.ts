import { describe, expect, it } from "vitest";
import { queueBacklogCheck } from "./queue-backlog-check.js";
import { runHealthChecks } from "./run-health-checks.js";

const sized = (n: number) => async () => n;

describe("queueBacklogCheck", () => {
  it("says 'healthy' up to the limit, with the size as the check's value", async () => {
    const report = await runHealthChecks([queueBacklogCheck(sized(1000), { max: 1000, critical: false })], {
      timeoutMs: 100,
    });
    expect(report).toMatchObject({ status: "healthy", queue: "healthy" });
    expect(report.checks.queue?.value).toBe(1000);
  });

  it("says 'backlog' past the limit and stays healthy unless the backlog is critical", async () => {
    const soft = await runHealthChecks([queueBacklogCheck(sized(1001), { max: 1000, critical: false })], {
      timeoutMs: 100,
    });
    expect(soft).toMatchObject({ status: "healthy", queue: "backlog" });
    const hard = await runHealthChecks([queueBacklogCheck(sized(1001), { max: 1000, critical: true })], {
      timeoutMs: 100,
    });
    expect(hard).toMatchObject({ status: "unhealthy", queue: "backlog" });
  });

  it("fails (queue 'unknown') when the queue store cannot be asked", async () => {
    const broken = queueBacklogCheck(
      async () => {
        throw new Error("E_QUEUE_UNAVAILABLE");
      },
      { max: 1000, critical: false },
    );
    const report = await runHealthChecks([broken], { timeoutMs: 100 });
    expect(report).toMatchObject({ status: "unhealthy", queue: "unknown" });
  });
});
