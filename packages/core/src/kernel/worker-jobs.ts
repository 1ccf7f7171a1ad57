import { PLATFORM_JOB_SPECS, type Platform, platformJobs, platformSchedules } from "../platform/index.js";
import type { AnyJobDefinition, AnyJobSpec, ScheduledJob } from "../queue/index.js";
import { pingJob } from "./ping-job.js";
import { createSessionsEndedHandler } from "./sessions-ended-handler.js";
import type { Kernel } from "./types.js";

export interface WorkerJobs {
  readonly jobs: AnyJobDefinition[];
  readonly schedules: ScheduledJob[];
  readonly specs: AnyJobSpec[];
}

/**
 * Every job a worker of this installation can run, every periodic job, and the
 * specs the apps dispatch by (checked against the handlers before a worker starts):
 * core's (mail, RBAC warm, sweep, `session.ended` calling the apps' hooks), the kernel's ping, and each app's in MARG_APPS,
 * with handlers bound to `platform`.
 */
export async function collectWorkerJobs(kernel: Kernel, platform: Platform): Promise<WorkerJobs> {
  const jobs: AnyJobDefinition[] = [
    ...platformJobs(platform),
    await createSessionsEndedHandler(kernel, platform),
    pingJob,
  ];
  const specs: AnyJobSpec[] = [...PLATFORM_JOB_SPECS];
  const schedules: ScheduledJob[] = [...platformSchedules(platform)];
  for (const id of platform.config.app.apps) {
    const app = await kernel.definition(id);
    jobs.push(...(app.jobs?.(platform) ?? []));
    specs.push(...(app.dispatches ?? []));
    schedules.push(...(app.schedules?.(platform) ?? []));
  }
  return { jobs, schedules, specs };
}
