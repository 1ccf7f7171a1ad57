import { restartWorkersHint } from "../platform/process-names.js";
import { type DoctorCheck, type Finding, fail, ok, warn } from "./types.js";

/** A job waiting this long means workers are stuck or too few. */
export const WAIT_WARN_MS = 5 * 60_000;
export const WAIT_FAIL_MS = 30 * 60_000;

const minutes = (ms: number) =>
  ms < 120_000 ? `${Math.round(ms / 1000)} s` : `${Math.round(ms / 60_000)} min`;
const START_WORKERS = `Start the workers: ${restartWorkersHint("start")} (or \`marg work\`); check \`marg queue:status\``;

/** The seed's "Queue Jobs Stuck" section: workers alive, how long the oldest job has waited, failed jobs. */
export const checkQueue: DoctorCheck = async (ctx) => {
  const { queue } = ctx;
  if ("error" in queue) {
    return [
      fail(
        "queue.reachable",
        `the queue store cannot be read (${queue.error})`,
        "See redis.reachable / database.reachable",
      ),
    ];
  }
  if (queue.driver === "sync")
    return [ok("queue.workers", "QUEUE_CONNECTION=sync: jobs run at dispatch, no workers needed")];
  const findings: Finding[] = [];
  try {
    const [sizes, alive, oldest, failed, served] = await Promise.all([
      queue.sizes(),
      queue.workersAlive(),
      queue.oldestWaitingAgeMs(),
      queue.failedCount(),
      queue.servedQueues(),
    ]);
    const waiting = sizes.reduce((sum, size) => sum + size.waiting, 0);
    if (alive > 0) findings.push(ok("queue.workers", `${alive} worker(s) alive`));
    else if (waiting > 0)
      findings.push(fail("queue.workers", `${waiting} job(s) waiting and no worker alive`, START_WORKERS));
    else
      findings.push(
        warn("queue.workers", "no worker alive: the next job will wait until one starts", START_WORKERS),
      );

    // Workers alive are not enough: a queue no live worker serves (a --queue line that
    // leaves it out) keeps its jobs waiting forever.
    if (alive > 0) {
      const unserved = sizes.filter((size) => size.waiting > 0 && !served.includes(size.queue));
      for (const size of unserved) {
        findings.push(
          fail(
            "queue.unserved",
            `queue "${size.queue}" has ${size.waiting} waiting job(s) and no worker serves it (workers serve: ${served.join(", ") || "nothing"})`,
            `Start a worker for it: \`marg work --queue ${size.queue}\`, or add "${size.queue}" to a worker's --queue (supervisor/systemd line)`,
          ),
        );
      }
      if (unserved.length === 0)
        findings.push(ok("queue.unserved", "every queue with waiting jobs has a worker serving it"));
    }

    if (oldest === null) findings.push(ok("queue.oldest-waiting", "no job is waiting"));
    else if (oldest >= WAIT_FAIL_MS || oldest >= WAIT_WARN_MS) {
      const make = oldest >= WAIT_FAIL_MS ? fail : warn;
      findings.push(
        make(
          "queue.oldest-waiting",
          `the oldest waiting job has waited ${minutes(oldest)} (${waiting} waiting)`,
          `Workers are stuck or too few: check \`marg queue:status\`, restart them (${restartWorkersHint("restart")}) or add more`,
        ),
      );
    } else findings.push(ok("queue.oldest-waiting", `the oldest waiting job has waited ${minutes(oldest)}`));

    const limit = ctx.installation.health.queueMax;
    if (waiting > limit) {
      findings.push(
        warn(
          "queue.backlog",
          `${waiting} jobs waiting, over HEALTH_QUEUE_MAX (${limit})`,
          "Add workers or find the slow job in the worker log",
        ),
      );
    }
    findings.push(
      failed > 0
        ? warn(
            "queue.failed",
            `${failed} failed job(s)`,
            "See why with `marg queue:failed`; retry with `marg queue:retry <id|all>`",
          )
        : ok("queue.failed", "no failed jobs"),
    );
  } catch (error) {
    findings.push(
      fail(
        "queue.reachable",
        `the queue store cannot be read (${(error as Error).message})`,
        "See redis.reachable / database.reachable",
      ),
    );
  }
  return findings;
};
