import { CompiledQuery, type DatabaseConnection, type Driver } from "kysely";
import type { DatabaseEvent, ReplicaTarget } from "./types.js";

/** One read replica: its driver (created on first use) and whether it is in rotation. */
export interface Replica {
  readonly target: ReplicaTarget;
  /** `host:port/database`, for logs and /health (no credentials). */
  readonly label: string;
  driver: Driver | undefined;
  init: Promise<void> | undefined;
  /** Skipped until this time (epoch ms) after a connect failure. */
  downUntil: number;
  /** Set by the lag monitor while the replica is too far behind. */
  lagging: boolean;
  /** Set once the lag monitor warned that it may not measure this replica's lag. */
  lagUnknownReported: boolean;
}

export interface ReplicaPoolOptions {
  readonly connection: string;
  readonly replicas: readonly ReplicaTarget[];
  readonly primaryDatabase: string;
  readonly createDriver: (target: ReplicaTarget) => Driver;
  /** How long a failed replica is skipped, in ms. */
  readonly retryMs: number;
  readonly onEvent?: ((event: DatabaseEvent) => void) | undefined;
}

/**
 * The read replicas of one connection, handed out round-robin. A replica that
 * cannot be reached is skipped for `retryMs` and then tried again; callers fall
 * back to the primary when none is usable, so a dead replica never fails a read.
 */
export class ReplicaPool {
  readonly replicas: readonly Replica[];
  readonly #options: ReplicaPoolOptions;
  #next = 0;

  constructor(options: ReplicaPoolOptions) {
    this.#options = options;
    this.replicas = options.replicas.map((target) => ({
      target,
      label: `${target.host}:${target.port}/${target.database ?? options.primaryDatabase}`,
      driver: undefined,
      init: undefined,
      downUntil: 0,
      lagging: false,
      lagUnknownReported: false,
    }));
  }

  isUp(replica: Replica, now = Date.now()): boolean {
    return !replica.lagging && replica.downUntil <= now;
  }

  /** A connection to the next usable replica, or undefined when none answers. */
  async acquire(): Promise<{ replica: Replica; connection: DatabaseConnection } | undefined> {
    const count = this.replicas.length;
    const start = this.#next;
    this.#next = (this.#next + 1) % Math.max(count, 1);
    for (let i = 0; i < count; i += 1) {
      const replica = this.replicas[(start + i) % count];
      if (replica === undefined || !this.isUp(replica)) continue;
      try {
        const wasDown = replica.downUntil !== 0;
        const connection = await (await this.#driver(replica)).acquireConnection();
        if (wasDown) {
          replica.downUntil = 0;
          this.#emit("replica-up", replica);
        }
        return { replica, connection };
      } catch (error) {
        this.markDown(replica, error);
      }
    }
    return undefined;
  }

  async release(replica: Replica, connection: DatabaseConnection): Promise<void> {
    // A connection that just failed may refuse to be released; it is gone either way.
    await replica.driver?.releaseConnection(connection).catch(() => undefined);
  }

  /** Takes a replica out of rotation for `retryMs` (a connect or connection-lost failure). */
  markDown(replica: Replica, error: unknown): void {
    replica.downUntil = Date.now() + this.#options.retryMs;
    const code = (error as { code?: unknown } | undefined)?.code;
    this.#emit("replica-down", replica, typeof code === "string" ? code : String(error));
  }

  /** Sets or clears the lagging flag (from the lag monitor), reporting changes. */
  setLagging(replica: Replica, lagging: boolean, reason: string): void {
    if (replica.lagging === lagging) return;
    replica.lagging = lagging;
    this.#emit(lagging ? "replica-down" : "replica-up", replica, reason);
  }

  /** Reports, once per replica until its lag is measured again, that its lag cannot be measured. */
  reportLagUnknown(replica: Replica, reason: string): void {
    if (replica.lagUnknownReported) return;
    replica.lagUnknownReported = true;
    this.#emit("replica-lag-unknown", replica, reason);
  }

  /** The lag probe got an answer: a later refusal is reported again. */
  lagKnown(replica: Replica): void {
    replica.lagUnknownReported = false;
  }

  /** Runs one statement on a replica (the lag probe's way in). */
  async query(replica: Replica, statement: string): Promise<readonly Record<string, unknown>[]> {
    const driver = await this.#driver(replica);
    const connection = await driver.acquireConnection();
    try {
      const result = await connection.executeQuery<Record<string, unknown>>(CompiledQuery.raw(statement));
      return result.rows;
    } finally {
      await driver.releaseConnection(connection);
    }
  }

  states(): { replica: string; up: boolean }[] {
    const now = Date.now();
    return this.replicas.map((replica) => ({ replica: replica.label, up: this.isUp(replica, now) }));
  }

  async destroy(): Promise<void> {
    await Promise.all(
      this.replicas.map(async (replica) => {
        if (replica.driver === undefined) return;
        await replica.init?.catch(() => undefined);
        await replica.driver.destroy();
      }),
    );
  }

  async #driver(replica: Replica): Promise<Driver> {
    const existing = replica.driver;
    if (existing !== undefined) {
      await replica.init;
      return existing;
    }
    const driver = this.#options.createDriver(replica.target);
    replica.driver = driver;
    replica.init = driver.init().catch((error: unknown) => {
      // Forget a driver that could not start, so the next attempt builds a fresh one.
      replica.driver = undefined;
      replica.init = undefined;
      throw error;
    });
    await replica.init;
    return driver;
  }

  #emit(type: DatabaseEvent["type"], replica: Replica, reason?: string): void {
    this.#options.onEvent?.({
      type,
      connection: this.#options.connection,
      replica: replica.label,
      ...(reason === undefined ? {} : { reason }),
    });
  }
}
