import {
  type AnyJobDefinition,
  type Platform,
  platformJobs,
  platformSchedules,
  type ScheduledJob,
} from "@marg/core";
import { WORKER_JOBS, WORKER_SCHEDULES } from "@marg/worker";
import { loadAppDefinition } from "../migration-sources.js";

/**
 * Every job a worker of this installation can run, and every periodic job:
 * core's (mail, RBAC warm, sweep), each app's in MARG_APPS, and the worker's own.
 */
export async function collectWorkerJobs(
  root: string,
  platform: Platform,
): Promise<{ jobs: AnyJobDefinition[]; schedules: ScheduledJob[] }> {
  const jobs: AnyJobDefinition[] = [...platformJobs(platform), ...WORKER_JOBS];
  const schedules: ScheduledJob[] = [...platformSchedules(platform), ...WORKER_SCHEDULES];
  for (const id of platform.config.app.apps) {
    const app = await loadAppDefinition(root, id);
    jobs.push(...(app.jobs?.(platform) ?? []));
    schedules.push(...(app.schedules?.(platform) ?? []));
  }
  return { jobs, schedules };
}
