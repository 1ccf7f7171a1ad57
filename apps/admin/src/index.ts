/**
 * @marg/admin — admin.marg, the control room. Its database is marg-rbac: the
 * users, roles and permissions it manages, and its own audit log.
 */
import { createAdminApp } from "./app.js";

export { createAdminApp } from "./app.js";
export { auditMigrations } from "./audit/migrations.js";
export { ADMIN_ERRORS } from "./errors.js";
export type { AdminQueue } from "./queues/queue.js";
export type { AdminAppOptions } from "./services.js";

export const app = createAdminApp();
