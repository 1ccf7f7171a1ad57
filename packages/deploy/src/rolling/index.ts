/** Rolling deploys behind HAProxy: drain, deploy, health, ready, one server at a time. */
export { ROLLING_ERRORS } from "./errors.js";
export { HaproxyRuntime, parseTable, type ServerAdminState, type ServerStat } from "./haproxy-runtime.js";
export { type RollingDeployOptions, type RollingDeployResult, rollingDeploy } from "./rolling-deploy.js";
export { runShell } from "./run-shell.js";
