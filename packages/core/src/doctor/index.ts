/**
 * `marg doctor`: the seed's Troubleshooting section (sessions not shared, jobs
 * stuck, database load) and MARG's unsafe-default checks, as findings that
 * each say ok / warn / fail and what to do. One file per area.
 * See docs/operations-health.md.
 */

export { openDoctorContext } from "./open-doctor-context.js";
export {
  createQueueStats,
  type OldestWaitingProbe,
  oldestWaitingInBullmq,
  oldestWaitingInTable,
} from "./queue-stats.js";
export { DOCTOR_CHECKS, type DoctorReport, runDoctor } from "./run-doctor.js";
export { type ExpectedIndex, SEED_INDEXES } from "./seed-indexes.js";
export type { DoctorApp, DoctorCheck, DoctorContext, Finding, FindingLevel, QueueStats } from "./types.js";
