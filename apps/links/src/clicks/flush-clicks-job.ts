import type { Platform } from "@marg/core/platform";
import { defineJob, defineSchedule, type JobSpec } from "@marg/core/queue";
import { z } from "zod";
import { linksDatabase } from "../db/database.js";
import { flushClicks } from "./service.js";

const payload = z.object({}).strict();

/** `links:flush-clicks`: moves waiting click counts into link_clicks_daily (see `flushClicks`). */
export const flushClicksSpec: JobSpec<z.input<typeof payload>, z.output<typeof payload>> = {
  name: "links:flush-clicks",
  schema: payload,
  attempts: 5,
  backoff: { type: "exponential", delayMs: 2000 },
  timeoutSeconds: 50,
};

const jobs = new WeakMap<Platform, ReturnType<typeof buildJob>>();

/** The job with its handler bound to the worker's platform (links_db opened on first run); one per platform. */
export function createFlushClicksJob(platform: Platform) {
  let job = jobs.get(platform);
  if (job === undefined) {
    job = buildJob(platform);
    jobs.set(platform, job);
  }
  return job;
}

function buildJob(platform: Platform) {
  return defineJob({
    ...flushClicksSpec,
    async handler(_payload, ctx) {
      const report = await flushClicks(
        { db: linksDatabase(platform), redis: platform.redis },
        { signal: ctx.signal },
      );
      if (report.clicks > 0) ctx.log.info({ ...report }, "clicks flushed");
    },
  });
}

/** Every minute, on whichever worker claims the minute. */
export function createFlushClicksSchedule(platform: Platform) {
  return defineSchedule({ job: createFlushClicksJob(platform), everySeconds: 60, payload: () => ({}) });
}
