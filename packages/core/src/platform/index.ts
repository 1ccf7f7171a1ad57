export { accountSignUpJob, createAccountSignUpJob } from "./account-jobs.js";
export { type AccountServices, createApiTokenService } from "./account-services.js";
export type { AppDatabaseOf, AppDatabaseRef } from "./app-databases.js";
export { type CreatePlatformOptions, createPlatform, type PlatformJobs } from "./create-platform.js";
export {
  mailSendJob,
  PLATFORM_JOB_SPECS,
  platformJobs,
  platformSchedules,
  platformSweepJob,
  rbacWarmSpec,
} from "./platform-jobs.js";
export {
  appProcessName,
  PROCESS_TARGETS,
  type ProcessManagerName,
  restartWorkersHint,
  WORKER_PROCESS,
} from "./process-names.js";
export {
  announceSessionsEnded,
  SESSIONS_ENDED_REASONS,
  type SessionsEndedEvent,
  type SessionsEndedReason,
  sessionsEndedJob,
} from "./sessions-ended-job.js";
export type { Platform } from "./types.js";
