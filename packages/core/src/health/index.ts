export { type QueueBacklogOptions, queueBacklogCheck } from "./queue-backlog-check.js";
export { runHealthChecks } from "./run-health-checks.js";
export type { CheckResult, HealthCheck, HealthDetail, HealthReport } from "./types.js";
