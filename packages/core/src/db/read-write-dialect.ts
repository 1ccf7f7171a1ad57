import type { Dialect } from "kysely";
import { ReadWriteDriver, type ReadWriteDriverOptions } from "./read-write-driver.js";

/**
 * Wraps a Kysely dialect so that its driver routes reads and writes
 * (see ReadWriteDriver); compiler, adapter and introspector stay the base dialect's.
 */
export function readWriteDialect(base: Dialect, options: Omit<ReadWriteDriverOptions, "primary">): Dialect {
  return {
    createDriver: () => new ReadWriteDriver({ ...options, primary: base.createDriver() }),
    createQueryCompiler: () => base.createQueryCompiler(),
    createAdapter: () => base.createAdapter(),
    createIntrospector: (db: Parameters<Dialect["createIntrospector"]>[0]) => base.createIntrospector(db),
  };
}
