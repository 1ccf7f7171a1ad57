import { generateAppKey, loadConfig } from "@marg/core/config";
import { createQueueBackend } from "@marg/core/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMargInstallation } from "../../../../test/support/marg-installation.js";
import { MARG_BIN, type RunningProcess, startProcess } from "../../../../test/support/spawn-process.js";

// The fleet whose worker lines leave a queue out: a real `marg work --queue mail,default`
// is alive and beating, a job waits on `reports`, and `marg doctor` (a real process)
// must say that no worker serves that queue, instead of "1 worker alive: ok".

describe("marg doctor and a queue no worker serves", () => {
  const installation = createMargInstallation("doctor-unserved");
  let worker: RunningProcess | undefined;

  beforeAll(async () => {
    installation.writeSharedEnv({
      APP_KEY: generateAppKey(),
      MARG_APPS: "flow,links",
      QUEUE_CONNECTION: "database",
      LOG_LEVEL: "info",
    });
    await installation.run(["migrate"]);
    const backend = await createQueueBackend(loadConfig({ root: installation.root, env: {} }));
    try {
      await backend.enqueue({
        id: "export-waiting-1",
        queue: "reports",
        name: "links.export",
        payload: {},
        delayMs: 0,
        priority: 100,
        maxAttempts: 3,
        backoff: { type: "fixed", delayMs: 1000 },
        timeoutMs: null,
        dispatchedAt: Date.now(),
      });
    } finally {
      await backend.close();
    }
    worker = startProcess("node", [MARG_BIN, "work", "--queue", "mail,default", "--no-scheduler"], {
      env: { MARG_ROOT: installation.root },
    });
    await worker.waitFor(/worker started/, 90_000);
  }, 180_000);

  afterAll(async () => {
    await worker?.stop(10_000);
    installation.remove();
  });

  it("fails queue.unserved, naming the queue, its waiting jobs and what the live workers serve", async () => {
    const run = await installation.run(["doctor", "--json"]).then(
      (stdout) => ({ stdout, failed: false }),
      (error: Error) => ({ stdout: error.message, failed: true }),
    );
    // Exit 2 (a failing finding): run() rejects with the output in its message.
    expect(run.failed).toBe(true);
    const json = run.stdout.slice(run.stdout.indexOf("{"), run.stdout.lastIndexOf("}") + 1);
    const report = JSON.parse(json) as {
      findings: { id: string; level: string; message: string; fix?: string }[];
    };
    const unserved = report.findings.find((finding) => finding.id === "queue.unserved");
    expect(unserved).toMatchObject({
      level: "fail",
      message: 'queue "reports" has 1 waiting job(s) and no worker serves it (workers serve: default, mail)',
    });
    expect(unserved?.fix).toContain("marg work --queue reports");
    expect(report.findings.find((finding) => finding.id === "queue.workers")?.level).toBe("ok");
  }, 120_000);
});
