/** `marg deploy` on one server: the seed's deploy.sh as a logged plan that stops at the first failure. */
export { formatArgv, planDeploy, processControl, supervisorHas } from "./deploy-plan.js";
export { DEPLOY_RUN_ERRORS } from "./errors.js";
export { type DeployRunResult, deployFailed, runDeploy } from "./run-deploy.js";
export { listSupervisorPrograms, parseSupervisorAvail } from "./supervisor-programs.js";
export { DEPLOY_STEPS, type DeployOptions, type DeployStep, type DeployStepName } from "./types.js";
