/** Helpers for MARG's own test suites and for apps' tests: scratch databases, Redis prefixes, temp dirs. */
export {
  createScratchMysqlDatabase,
  createScratchMysqlUser,
  type ScratchDatabase,
  type ScratchUser,
  TEST_MYSQL,
} from "./scratch-mysql.js";
export { createScratchRedisPrefix, type ScratchRedisPrefix, TEST_REDIS } from "./scratch-redis.js";
export { createTempDir } from "./temp-dir.js";
