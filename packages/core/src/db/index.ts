/**
 * The database layer: SQLite or MySQL per connection, read replicas with
 * read-your-writes, migrations from every module, idempotent seeders.
 */
export { createDatabases } from "./databases.js";
export { isConnectionError, mapDriverError } from "./driver-error-mapper.js";
export { DB_ERRORS } from "./errors.js";
export type { MigrationStatusRow } from "./migration-status.js";
export { MIGRATION_LOCK_TABLE, MIGRATION_TABLE } from "./migration-status.js";
export type { ConnectionName, MigrationSet } from "./migration-types.js";
export {
  createMigrator,
  type MargMigrator,
  type MigrationStep,
  type MigratorEvent,
  type MigratorOptions,
} from "./migrator.js";
export { ensureMysqlDatabase } from "./mysql-dialect-factory.js";
export { countPoolUsage } from "./pool-usage-dialect.js";
export { isLagDenied, mysqlReplicaLagProbe } from "./replica-lag-probe.js";
export { idType, isMysql, withId, withTimestampsMs } from "./schema-helpers.js";
export {
  insertMissing,
  runSeeders,
  type SeedContext,
  type Seeder,
  type SeederEntry,
  type SeedResult,
} from "./seeder.js";
export type {
  DatabaseEvent,
  Databases,
  DatabasesOptions,
  PingResult,
  PoolUsage,
  ReplicaLag,
  ReplicaLagDenied,
  ReplicaLagProbe,
  ReplicaQuery,
  ReplicaTarget,
} from "./types.js";
