/**
 * Helpers for MARG's own test suites and for apps' tests: scratch databases, Redis
 * prefixes, temp dirs, a TCP proxy to cut, a private redis-server, polling. Only
 * node's own modules and the database clients load here; the heavier kits have
 * their own subpaths: `@marg/core/testing/queue`, `/rbac`, `/session`.
 */
export { startTcpProxy, type TcpProxy } from "../health/test-support/tcp-proxy.js";
export { waitFor } from "../queue/test-support/wait-for.js";
export {
  findFreePort,
  type RedisServerProcess,
  startRedisServer,
  waitForOutput,
} from "../redis/test-support/redis-server-process.js";
export { type MigratedTestDatabase, openMigratedTestDatabase } from "./migrated-test-database.js";
export {
  createScratchMysqlDatabase,
  createScratchMysqlUser,
  type ScratchDatabase,
  type ScratchUser,
  TEST_MYSQL,
} from "./scratch-mysql.js";
export { createScratchRedisPrefix, type ScratchRedisPrefix, TEST_REDIS } from "./scratch-redis.js";
export {
  type RunningTestApp,
  type StartTestAppOptions,
  startTestApp,
  type TestApp,
} from "./start-test-app.js";
export { createTempDir } from "./temp-dir.js";
export {
  csrfTokenIn,
  keepSetCookies,
  TestClient,
  type TestRequestOptions,
  type TestResponse,
  type TestTarget,
} from "./test-client.js";
export { DEMO_PEOPLE, TEST_DOMAIN, TEST_PASSWORD, type TestPerson } from "./test-installation.js";
