import { z } from "zod";
import { defineJob, defineSchedule } from "../../queue/index.js";
import type { EffectsLog } from "../../queue/test-support/effects-log.js";

/**
 * Jobs for the worker-process suite. Handlers write to a shared effects log
 * (the side-effect table the tests count); the test process only dispatches.
 */
export function createFixtureJobs(effects?: EffectsLog) {
  const log = (jobId: string, event: string, detail = "") => effects?.record(jobId, event, detail);
  const sleepJob = defineJob({
    name: "fixture.sleep",
    schema: z.object({ ms: z.number().int().min(0) }),
    async handler({ ms }, ctx) {
      log(ctx.jobId, "started");
      await new Promise((resolve) => setTimeout(resolve, ms));
      log(ctx.jobId, "completed");
    },
  });
  const crashJob = defineJob({
    name: "fixture.crash",
    schema: z.object({ crashes: z.number().int().min(0) }),
    handler({ crashes }, ctx) {
      const runs = effects?.count("started", ctx.jobId) ?? 0;
      log(ctx.jobId, "started");
      // Dies like an OOM kill would: no cleanup, no outcome recorded.
      if (runs < crashes) process.kill(process.pid, "SIGKILL");
      log(ctx.jobId, "completed");
    },
  });
  const quickJob = defineJob({
    name: "fixture.quick",
    schema: z.object({ n: z.number().int() }),
    handler(_payload, ctx) {
      log(ctx.jobId, "completed");
    },
  });
  const tickJob = defineJob({
    name: "fixture.tick",
    schema: z.object({ periodStart: z.number().int() }),
    handler({ periodStart }) {
      log(`period-${periodStart}`, "tick");
    },
  });
  const tickSchedule = (everySeconds: number) =>
    defineSchedule({ job: tickJob, everySeconds, payload: (periodStart) => ({ periodStart }) });
  return {
    sleepJob,
    crashJob,
    quickJob,
    tickJob,
    tickSchedule,
    all: [sleepJob, crashJob, quickJob, tickJob],
  };
}
