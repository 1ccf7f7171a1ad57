/**
 * `@marg/core/testing/queue`: every queue driver prepared for a test (Redis with
 * a scratch prefix, SQLite, a scratch MySQL database), a log of job effects that
 * survives a killed worker, and the driver's own Kysely for benchmarks.
 */

export { createFixtureJobs } from "../../kernel/test-support/fixture-jobs.js";
export { createQueueKysely } from "../../queue/drivers/queue-kysely-factory.js";
export { EffectsLog } from "../../queue/test-support/effects-log.js";
export {
  type PreparedQueueDriver,
  prepareQueueDriver,
  QUEUE_TEST_DRIVERS,
  type QueueTestDriver,
} from "../../queue/test-support/queue-test-drivers.js";
