import type { CompiledQuery, DatabaseConnection, Driver, QueryResult } from "kysely";
import { currentRequestScope } from "../context/index.js";
import { isConnectionError } from "./driver-error-mapper.js";
import { classifyQuery } from "./query-kind.js";
import type { Replica, ReplicaPool } from "./replica-pool.js";

export interface ReadWriteDriverOptions {
  /** The connection's name (`app`, `rbac`, …), recorded in the request scope on writes. */
  readonly connection: string;
  readonly primary: Driver;
  /** Absent when the connection has no replicas (SQLite, or readHosts empty). */
  readonly replicas?: ReplicaPool | undefined;
  /** Laravel's `sticky`: after a write in a request, that request reads from the primary. */
  readonly sticky: boolean;
  /** Maps a primary failure to a MargError (host:port, what to do). */
  readonly mapError: (error: unknown) => unknown;
  /** Called by destroy() before the drivers close (stops the lag monitor). */
  readonly onDestroy?: (() => void) | undefined;
}

/** One logical connection: a primary connection and a replica connection, each taken on first need. */
export class RoutingConnection implements DatabaseConnection {
  inTransaction = false;
  readonly #options: ReadWriteDriverOptions;
  #primary: Promise<DatabaseConnection> | undefined;
  #replica: { replica: Replica; connection: DatabaseConnection } | undefined;
  /** Set after a write on this connection, so its own later reads see it. */
  #wrote = false;

  constructor(options: ReadWriteDriverOptions) {
    this.#options = options;
  }

  primary(): Promise<DatabaseConnection> {
    if (this.#primary !== undefined) return this.#primary;
    const { primary, mapError } = this.#options;
    const acquiring = primary.acquireConnection().catch((error: unknown) => {
      this.#primary = undefined;
      throw mapError(error);
    });
    this.#primary = acquiring;
    return acquiring;
  }

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    const kind = classifyQuery(compiled);
    if (kind === "read" && this.#mayReadReplica()) {
      const replica = await this.#replicaConnection();
      if (replica !== undefined) {
        try {
          return await replica.connection.executeQuery<R>(compiled);
        } catch (error) {
          if (!isConnectionError(error)) throw error;
          // The replica died under us: take it out of rotation and answer from the primary.
          this.#options.replicas?.markDown(replica.replica, error);
          await this.#dropReplica();
        }
      }
    }
    if (kind === "write") this.#recordWrite();
    const connection = await this.primary();
    try {
      return await connection.executeQuery<R>(compiled);
    } catch (error) {
      throw this.#options.mapError(error);
    }
  }

  async *streamQuery<R>(compiled: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    const kind = classifyQuery(compiled);
    const replica = kind === "read" && this.#mayReadReplica() ? await this.#replicaConnection() : undefined;
    if (kind === "write") this.#recordWrite();
    const connection = replica?.connection ?? (await this.primary());
    yield* connection.streamQuery<R>(compiled, chunkSize);
  }

  async release(): Promise<void> {
    await this.#dropReplica();
    const primary = this.#primary;
    this.#primary = undefined;
    if (primary !== undefined) {
      const connection = await primary.catch(() => undefined);
      if (connection !== undefined) await this.#options.primary.releaseConnection(connection);
    }
  }

  #mayReadReplica(): boolean {
    if (this.#options.replicas === undefined || this.inTransaction) return false;
    const name = this.#options.connection;
    const scope = currentRequestScope();
    if (scope?.stickyFrom.has(name)) return false;
    if (!this.#options.sticky) return true;
    return !this.#wrote && !(scope?.wroteTo.has(name) ?? false);
  }

  async #replicaConnection() {
    this.#replica ??= await this.#options.replicas?.acquire();
    return this.#replica;
  }

  async #dropReplica(): Promise<void> {
    const held = this.#replica;
    this.#replica = undefined;
    if (held !== undefined) await this.#options.replicas?.release(held.replica, held.connection);
  }

  #recordWrite(): void {
    this.#wrote = true;
    currentRequestScope()?.wroteTo.add(this.#options.connection);
  }
}
