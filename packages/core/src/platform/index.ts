export { accountSignUpJob, createAccountSignUpJob } from "./account-jobs.js";
export { type CreatePlatformOptions, createPlatform, type PlatformJobs } from "./create-platform.js";
export { mailSendJob, platformJobs, platformSchedules, platformSweepJob } from "./platform-jobs.js";
export type { Platform } from "./types.js";
