import type { DatabaseConnection, Dialect, Driver } from "kysely";
import type { PoolUsage } from "./types.js";

/**
 * Wraps a Kysely dialect so the connections it holds can be counted: Kysely
 * acquires one per query or transaction and releases it after, so acquired
 * minus released is the pool in use — the same on mysql2 and SQLite.
 *
 * @example
 * const counted = countPoolUsage(createMysqlDialect(conn), conn.poolSize);
 * metrics.addPoolSource("flow/app", counted.usage);
 */
export function countPoolUsage(dialect: Dialect, max: number): { dialect: Dialect; usage(): PoolUsage } {
  let inUse = 0;
  const wrapDriver = (driver: Driver): Driver =>
    new Proxy(driver, {
      get(target, property) {
        if (property === "acquireConnection") {
          return async (): Promise<DatabaseConnection> => {
            const connection = await target.acquireConnection();
            inUse += 1;
            return connection;
          };
        }
        if (property === "releaseConnection") {
          return async (connection: DatabaseConnection): Promise<void> => {
            inUse = Math.max(0, inUse - 1);
            await target.releaseConnection(connection);
          };
        }
        const value: unknown = Reflect.get(target, property, target);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const counted: Dialect = {
    createDriver: () => wrapDriver(dialect.createDriver()),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createAdapter: () => dialect.createAdapter(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
  return { dialect: counted, usage: () => ({ inUse, max }) };
}
