import { z } from "zod";
import { DatabaseThrottleStore } from "../auth/stores/database-throttle-store.js";
import { DatabaseCacheStore } from "../cache/database-cache-store.js";
import type { AnyJobDefinition, JobSpec } from "../queue/job-definition.js";
import { defineJob } from "../queue/job-definition.js";
import { QUEUE_NAMES } from "../queue/queue-names.js";
import { defineSchedule, type ScheduledJob } from "../queue/scheduler.js";
import { createRbacWarmJob } from "../rbac/rbac-warm-job.js";
import { SqlUserDirectory } from "../rbac/sql-user-directory.js";
import type { Platform } from "./types.js";

const mailPayload = z.object({
  /** Idempotency key: a retried job with the same id is not sent twice (by the file mailer). */
  id: z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/),
  to: z.string().email().max(320),
  subject: z.string().min(1).max(300),
  text: z.string().min(1).max(100_000),
  html: z.string().max(500_000).optional(),
});

/** `mail.send`: one mail through MAIL_MAILER. Dispatch with `platform.queue.dispatch(mailSendJob, {...})`. */
export const mailSendJob: JobSpec<z.input<typeof mailPayload>, z.output<typeof mailPayload>> = {
  name: "mail.send",
  schema: mailPayload,
  queue: QUEUE_NAMES.mail,
  attempts: 5,
};

/** `platform:sweep`: removes what expired (database sessions, cache rows, throttle windows, used reset links). */
export const platformSweepJob: JobSpec<Record<string, never>> = {
  name: "platform:sweep",
  schema: z.object({}).strict(),
};

/** The jobs core itself brings, with handlers bound to the worker's platform. */
export function platformJobs(platform: Platform): AnyJobDefinition[] {
  const rbacWarm = createRbacWarmJob({
    rbac: platform.rbac,
    users: new SqlUserDirectory(platform.databases.connection("rbac")),
  });
  return [
    defineJob({ ...rbacWarm, handler: (payload, ctx) => rbacWarm.handler(payload, ctx) }),
    defineJob({
      ...mailSendJob,
      async handler(payload, ctx) {
        const sent = await platform.mailer.send(payload);
        ctx.log.info(
          { mailId: payload.id, duplicate: sent.duplicate },
          sent.duplicate ? "mail already sent" : "mail sent",
        );
      },
    }),
    defineJob({
      ...platformSweepJob,
      async handler(_payload, ctx) {
        const removed = {
          sessions: await platform.sessions.sweepExpired(),
          cache: platform.cache instanceof DatabaseCacheStore ? await platform.cache.prune() : 0,
          throttle: platform.throttle instanceof DatabaseThrottleStore ? await platform.throttle.prune() : 0,
          resetLinks: await platform.passwordResets.prune(),
        };
        ctx.log.info(removed, "expired rows swept");
      },
    }),
  ];
}

/** Core's periodic jobs: RBAC warm every RBAC_CACHE_TTL (the seed's hour), the sweep every 10 minutes. */
export function platformSchedules(platform: Platform): ScheduledJob[] {
  const jobs = platformJobs(platform);
  const byName = (name: string) => {
    const job = jobs.find((candidate) => candidate.name === name);
    if (job === undefined) throw new Error(`no platform job ${name}`);
    return job;
  };
  return [
    defineSchedule({
      job: byName("rbac:warm"),
      everySeconds: platform.config.rbac.cacheTtlSeconds,
      payload: () => ({}),
    }),
    defineSchedule({ job: byName("platform:sweep"), everySeconds: 600, payload: () => ({}) }),
  ];
}
