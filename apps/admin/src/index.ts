/**
 * @marg/admin — admin.marg, the control room. Its database is marg-rbac: the
 * users, roles and permissions it manages, and the audit log (core's table) it shows.
 */
import { createAdminApp } from "./app.js";

export { createAdminApp } from "./app.js";
export { ADMIN_ERRORS } from "./errors.js";
export type { AdminQueue } from "./queues/queue.js";
export type { AdminAppOptions } from "./services.js";

export const app = createAdminApp();
