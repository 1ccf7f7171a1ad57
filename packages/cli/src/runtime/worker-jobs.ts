import { PLATFORM_JOB_SPECS, type Platform, platformJobs, platformSchedules } from "@marg/core/platform";
import type { AnyJobDefinition, AnyJobSpec, ScheduledJob } from "@marg/core/queue";
import { WORKER_JOBS, WORKER_SCHEDULES } from "@marg/worker";
import { loadAppDefinition } from "../migration-sources.js";

/**
 * Every job a worker of this installation can run, every periodic job, and the
 * specs the apps dispatch by (checked against the handlers before a worker starts):
 * core's (mail, RBAC warm, sweep), each app's in MARG_APPS, and the worker's own.
 */
export async function collectWorkerJobs(
  root: string,
  platform: Platform,
): Promise<{ jobs: AnyJobDefinition[]; schedules: ScheduledJob[]; specs: AnyJobSpec[] }> {
  const jobs: AnyJobDefinition[] = [...platformJobs(platform), ...WORKER_JOBS];
  const specs: AnyJobSpec[] = [...PLATFORM_JOB_SPECS];
  const schedules: ScheduledJob[] = [...platformSchedules(platform), ...WORKER_SCHEDULES];
  for (const id of platform.config.app.apps) {
    const app = await loadAppDefinition(root, id);
    jobs.push(...(app.jobs?.(platform) ?? []));
    specs.push(...(app.dispatches ?? []));
    schedules.push(...(app.schedules?.(platform) ?? []));
  }
  return { jobs, schedules, specs };
}
