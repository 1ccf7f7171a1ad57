import type { AnyJobDefinition, ScheduledJob } from "@marg/core/queue";
import { pingJob } from "./jobs/ping-job.js";

/**
 * Every job the MARG worker handles, and the periodic ones it schedules.
 * Later tasks add mail, image, report, RBAC-warm and session-sweep jobs here
 * (one file per job under jobs/).
 */
export const WORKER_JOBS: readonly AnyJobDefinition[] = [pingJob];

/** Periodic jobs, run once per period across all workers. */
export const WORKER_SCHEDULES: readonly ScheduledJob[] = [];
