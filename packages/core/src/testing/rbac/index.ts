/**
 * `@marg/core/testing/rbac`: an RBAC service over a scratch database and cache
 * (SQLite or MySQL, database or Redis cache), with a query counter.
 */
export type { SqlTestDriver } from "../../cache/test-support/test-databases.js";
export {
  createRbacTestEnv,
  RBAC_DRIVERS,
  type RbacDriver,
  type RbacTestEnv,
} from "../../rbac/test-support/rbac-test-env.js";
