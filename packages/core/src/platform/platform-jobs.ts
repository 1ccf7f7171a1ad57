import { z } from "zod";
import { DatabaseThrottleStore } from "../auth/stores/database-throttle-store.js";
import { DatabaseCacheStore } from "../cache/database-cache-store.js";
import { DatabaseSentMailLog } from "../mail/sent-mail-log.js";
import type { AnyJobDefinition, AnyJobSpec, JobSpec } from "../queue/job-definition.js";
import { defineJob } from "../queue/job-definition.js";
import { defineSchedule, type ScheduledJob } from "../queue/scheduler.js";
import { createRbacWarmJob, RBAC_WARM_JOB, rbacWarmPayloadSchema } from "../rbac/rbac-warm-job.js";
import { SqlUserDirectory } from "../rbac/sql-user-directory.js";
import { accountSignUpJob, createAccountSignUpJob } from "./account-jobs.js";
import { mailSendJob } from "./platform-mail-job.js";
import { sessionsEndedJob } from "./sessions-ended-job.js";
import type { Platform } from "./types.js";

export { mailSendJob } from "./platform-mail-job.js";

/** How long the record of a sent mail is kept: far longer than any job is retried. */
const SENT_MAIL_KEEP_MS = 30 * 86_400_000;

/** `platform:sweep`: removes what expired (database sessions, cache rows, throttle windows, used reset, sign-up and invitation links, old sent-mail records). */
export const platformSweepJob: JobSpec<Record<string, never>> = {
  name: "platform:sweep",
  schema: z.object({}).strict(),
};

/** `rbac:warm`, as `marg rbac:warm` and the schedule dispatch it. */
export const rbacWarmSpec: JobSpec<
  z.input<typeof rbacWarmPayloadSchema>,
  z.output<typeof rbacWarmPayloadSchema>
> = {
  name: RBAC_WARM_JOB,
  schema: rbacWarmPayloadSchema,
};

/** Every job core dispatches, without handlers: what `marg work` checks its handlers against. */
export const PLATFORM_JOB_SPECS: readonly AnyJobSpec[] = [
  mailSendJob as AnyJobSpec,
  accountSignUpJob as AnyJobSpec,
  platformSweepJob as AnyJobSpec,
  rbacWarmSpec as AnyJobSpec,
  // Its handler calls the apps' hooks, so the kernel builds it (kernel/sessions-ended-handler.ts).
  sessionsEndedJob as AnyJobSpec,
];

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
        // Keyed by the job id: a retry of this job (any worker, `marg queue:retry`) never sends again.
        const sent = await platform.mailer.send(payload, { key: `job-${ctx.jobId}` });
        ctx.log.info(
          { mailId: payload.id, duplicate: sent.duplicate },
          sent.duplicate ? "mail already sent" : "mail sent",
        );
      },
    }),
    createAccountSignUpJob(platform),
    defineJob({
      ...platformSweepJob,
      async handler(_payload, ctx) {
        const removed = {
          sessions: await platform.sessions.sweepExpired(),
          cache: platform.cache instanceof DatabaseCacheStore ? await platform.cache.prune() : 0,
          throttle: platform.throttle instanceof DatabaseThrottleStore ? await platform.throttle.prune() : 0,
          resetLinks: await platform.passwordResets.prune(),
          accountLinks: await platform.invitations.prune(),
          sentMail: await new DatabaseSentMailLog(platform.databases.connection("rbac")).prune(
            SENT_MAIL_KEEP_MS,
          ),
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
