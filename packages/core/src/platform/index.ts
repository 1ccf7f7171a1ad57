export { type CreatePlatformOptions, createPlatform } from "./create-platform.js";
export { mailSendJob, platformJobs, platformSchedules, platformSweepJob } from "./platform-jobs.js";
export type { Platform } from "./types.js";
