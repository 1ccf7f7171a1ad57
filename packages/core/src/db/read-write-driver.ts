import type { DatabaseConnection, Driver, QueryCompiler, TransactionSettings } from "kysely";
import { type ReadWriteDriverOptions, RoutingConnection } from "./routing-connection.js";

export type { ReadWriteDriverOptions };

/**
 * A Kysely driver in front of a primary and its read replicas. Kysely hands
 * every statement to `DatabaseConnection.executeQuery` with its operation node,
 * so routing happens per statement: plain SELECTs outside a transaction go to a
 * replica unless the request scope is pinned to the primary; everything else,
 * and every statement of a transaction, goes to the primary. Underlying
 * connections are taken lazily, so a read-only request never holds a primary one.
 */
export class ReadWriteDriver implements Driver {
  readonly options: ReadWriteDriverOptions;

  constructor(options: ReadWriteDriverOptions) {
    this.options = options;
  }

  async init(): Promise<void> {
    try {
      await this.options.primary.init();
    } catch (error) {
      throw this.options.mapError(error);
    }
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    return new RoutingConnection(this.options);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const routing = asRouting(connection);
    await this.options.primary.beginTransaction(await routing.primary(), settings);
    routing.inTransaction = true;
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    const routing = asRouting(connection);
    try {
      await this.options.primary.commitTransaction(await routing.primary());
    } finally {
      routing.inTransaction = false;
    }
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    const routing = asRouting(connection);
    try {
      await this.options.primary.rollbackTransaction(await routing.primary());
    } finally {
      routing.inTransaction = false;
    }
  }

  async savepoint(connection: DatabaseConnection, name: string, compile: QueryCompiler["compileQuery"]) {
    await this.#primaryMethod("savepoint")(await asRouting(connection).primary(), name, compile);
  }

  async rollbackToSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ) {
    await this.#primaryMethod("rollbackToSavepoint")(await asRouting(connection).primary(), name, compile);
  }

  async releaseSavepoint(
    connection: DatabaseConnection,
    name: string,
    compile: QueryCompiler["compileQuery"],
  ) {
    await this.#primaryMethod("releaseSavepoint")(await asRouting(connection).primary(), name, compile);
  }

  async releaseConnection(connection: DatabaseConnection): Promise<void> {
    await asRouting(connection).release();
  }

  async destroy(): Promise<void> {
    this.options.onDestroy?.();
    await Promise.all([this.options.primary.destroy(), this.options.replicas?.destroy()]);
  }

  #primaryMethod(method: "savepoint" | "rollbackToSavepoint" | "releaseSavepoint") {
    const fn = this.options.primary[method];
    if (fn === undefined) throw new Error(`The \`${method}\` method is not supported by this driver`);
    return fn.bind(this.options.primary);
  }
}

function asRouting(connection: DatabaseConnection): RoutingConnection {
  if (connection instanceof RoutingConnection) return connection;
  throw new Error("ReadWriteDriver was handed a connection it did not create");
}
