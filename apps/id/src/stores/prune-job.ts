import type { Platform } from "@marg/core/platform";
import { defineJob, defineSchedule, type JobSpec } from "@marg/core/queue";
import { z } from "zod";
import { idDatabase } from "../db/database.js";
import { SessionLinks } from "../logout/session-links.js";
import { pruneExpiredPayloads } from "./sql-oidc-adapter.js";

const payload = z.object({}).strict();

/**
 * `id:prune`: deletes what expired from id_db — the provider's stored models (when
 * they live there rather than in Redis, whose keys expire on their own) and the
 * OIDC ↔ MARG session links. Reads already ignore expired rows: this keeps the
 * tables small.
 */
export const pruneIdSpec: JobSpec<z.input<typeof payload>, z.output<typeof payload>> = {
  name: "id:prune",
  schema: payload,
  attempts: 3,
  backoff: { type: "exponential", delayMs: 5000 },
  timeoutSeconds: 120,
};

const jobs = new WeakMap<Platform, ReturnType<typeof buildJob>>();

export function createPruneIdJob(platform: Platform) {
  let job = jobs.get(platform);
  if (job === undefined) {
    job = buildJob(platform);
    jobs.set(platform, job);
  }
  return job;
}

function buildJob(platform: Platform) {
  return defineJob({
    ...pruneIdSpec,
    async handler(_payload, ctx) {
      const db = idDatabase(platform);
      const payloads = await pruneExpiredPayloads(db);
      await new SessionLinks(db).pruneExpired();
      if (payloads > 0) ctx.log.info({ payloads }, "expired OIDC entries deleted");
    },
  });
}

/** Every hour, on whichever worker claims the hour. */
export function createPruneIdSchedule(platform: Platform) {
  return defineSchedule({ job: createPruneIdJob(platform), everySeconds: 3600, payload: () => ({}) });
}
