/**
 * Maintenance mode for the whole fleet: `marg down` writes a record to the
 * shared store (Redis, or the rbac database), every app process reads it through
 * a one-second cache and answers 503 with the maintenance page; a secret URL
 * sets a bypass cookie; workers pause only with --workers.
 * See docs/operations-health.md.
 */
export {
  createMaintenanceStore,
  maintenanceDriverFor,
  openMaintenanceStore,
} from "./create-maintenance-store.js";
export { MAINTENANCE_ERRORS, maintenanceStoreUnavailable } from "./errors.js";
export {
  BYPASS_COOKIE,
  BYPASS_SECRET_PATTERN,
  bypassCookieValue,
  bypassHashes,
  generateBypassSecret,
} from "./maintenance-bypass.js";
export {
  createMaintenanceGate,
  type MaintenanceGate,
  type MaintenanceGateOptions,
  type MaintenanceLogger,
} from "./maintenance-gate.js";
export { type MaintenanceTables, maintenanceMigrations } from "./maintenance-migrations.js";
export {
  createMaintenanceCheck,
  isMaintenanceExempt,
  type MaintenanceAnswer,
  type MaintenanceCheck,
  type MaintenanceRequest,
  type MaintenanceVerdict,
  maintenanceHook,
} from "./maintenance-mode.js";
export { pauseWhileInMaintenance } from "./pause-workers.js";
export {
  ALL_APPS,
  type MaintenanceScope,
  type MaintenanceState,
  type MaintenanceStore,
  parseMaintenanceState,
} from "./types.js";
