import { type Kysely, sql } from "kysely";
import { MargError } from "../../errors/index.js";
import type { QueueTables } from "../queue-tables.js";
import {
  type ConsumeOptions,
  type FailedJob,
  type JobProcessor,
  type NewJob,
  type QueueBackend,
  type QueueConsumer,
  type QueueCounts,
  type QueueLogger,
  SILENT_QUEUE_LOGGER,
  type WorkerBeat,
} from "../types.js";
import { claimPeriod, listWorkerBeats, recordWorkerBeat } from "./database-coordination.js";
import { DatabaseJobConsumer } from "./database-job-consumer.js";
import { retryTransient } from "./database-retry.js";
import { failedJobOf, newJobRow, retriedJobRow, type SqlDialect, toNumber } from "./database-rows.js";

export interface DatabaseQueueBackendOptions {
  /** A Kysely on the rbac connection (the database every app and worker shares), migrated with queueMigrations. */
  readonly db: Kysely<QueueTables>;
  readonly dialect: SqlDialect;
  readonly logger?: QueueLogger;
  /** Close the Kysely on close() (when the backend opened it). */
  readonly ownsDb?: boolean;
}

const MISSING_TABLE = /no such table|doesn't exist|ER_NO_SUCH_TABLE/i;

/**
 * The embedded queue driver: jobs in a table of the shared database, claimed
 * race-free (SQLite: one atomic UPDATE … RETURNING; MySQL: SKIP LOCKED), held
 * by a renewable reservation so a crashed worker's job returns to the queue.
 */
export class DatabaseQueueBackend implements QueueBackend {
  readonly driver = "database";
  readonly #db: Kysely<QueueTables>;
  readonly #dialect: SqlDialect;
  readonly #logger: QueueLogger;
  readonly #ownsDb: boolean;
  readonly #consumers = new Set<QueueConsumer>();

  constructor(options: DatabaseQueueBackendOptions) {
    this.#db = options.db;
    this.#dialect = options.dialect;
    this.#logger = options.logger ?? SILENT_QUEUE_LOGGER;
    this.#ownsDb = options.ownsDb ?? false;
  }

  /** Fails with E_QUEUE_NOT_MIGRATED when the tables are missing. */
  async assertReady(): Promise<void> {
    try {
      await this.#db.selectFrom("queue_jobs").select("seq").limit(1).execute();
    } catch (error) {
      if (MISSING_TABLE.test((error as Error).message)) {
        throw new MargError(
          "E_QUEUE_NOT_MIGRATED",
          "The queue tables are missing from the rbac database: run `marg migrate`.",
          {
            status: 503,
            cause: error,
          },
        );
      }
      throw error;
    }
  }

  async enqueue(job: NewJob): Promise<void> {
    await retryTransient(async () => {
      const failed = await this.#db
        .selectFrom("queue_failed_jobs")
        .select("id")
        .where("id", "=", job.id)
        .executeTakeFirst();
      if (failed !== undefined) return;
      const insert = this.#db.insertInto("queue_jobs").values(newJobRow(job));
      if (this.#dialect === "sqlite") {
        await insert.onConflict((conflict) => conflict.column("id").doNothing()).execute();
        return;
      }
      // A plain INSERT (not ON DUPLICATE KEY UPDATE, whose exclusive next-key locks deadlock with claims).
      try {
        await insert.execute();
      } catch (error) {
        if ((error as { code?: string }).code !== "ER_DUP_ENTRY") throw error;
      }
    });
  }

  consume(options: ConsumeOptions, processor: JobProcessor): QueueConsumer {
    const consumer = new DatabaseJobConsumer(this.#db, this.#dialect, options, processor, this.#logger);
    this.#consumers.add(consumer);
    return {
      close: async () => {
        await consumer.close();
        this.#consumers.delete(consumer);
      },
    };
  }

  async listFailed(options: { queue?: string; limit: number }): Promise<FailedJob[]> {
    let query = this.#db
      .selectFrom("queue_failed_jobs")
      .selectAll()
      .orderBy("failed_at", "desc")
      .limit(options.limit);
    if (options.queue !== undefined) query = query.where("queue", "=", options.queue);
    return (await query.execute()).map(failedJobOf);
  }

  async retryFailed(id: string): Promise<boolean> {
    return retryTransient(() => this.#retryFailedOnce(id));
  }

  #retryFailedOnce(id: string): Promise<boolean> {
    return this.#db.transaction().execute(async (trx) => {
      const row = await trx
        .selectFrom("queue_failed_jobs")
        .selectAll()
        .where("id", "=", id)
        .executeTakeFirst();
      if (row === undefined) return false;
      await trx.deleteFrom("queue_failed_jobs").where("id", "=", id).execute();
      // A job of the same id queued since keeps its place; the failed copy is then dropped.
      const live = await trx.selectFrom("queue_jobs").select("id").where("id", "=", id).executeTakeFirst();
      if (live === undefined)
        await trx.insertInto("queue_jobs").values(retriedJobRow(row, Date.now())).execute();
      return true;
    });
  }

  async retryAllFailed(): Promise<number> {
    let retried = 0;
    for (;;) {
      const ids = await this.#db
        .selectFrom("queue_failed_jobs")
        .select("id")
        .orderBy("failed_at")
        .limit(500)
        .execute();
      if (ids.length === 0) return retried;
      for (const { id } of ids) if (await this.retryFailed(id)) retried += 1;
    }
  }

  async forgetFailed(id: string): Promise<boolean> {
    const result = await this.#db.deleteFrom("queue_failed_jobs").where("id", "=", id).executeTakeFirst();
    return result.numDeletedRows > 0n;
  }

  async flushFailed(): Promise<number> {
    const result = await this.#db.deleteFrom("queue_failed_jobs").executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  async counts(): Promise<QueueCounts[]> {
    const now = Date.now();
    const held = sql<boolean>`reserved_until is not null and reserved_until >= ${now}`;
    const jobs = await this.#db
      .selectFrom("queue_jobs")
      .select([
        "queue",
        sql<number>`sum(case when ${held} then 1 else 0 end)`.as("active"),
        sql<number>`sum(case when not (${held}) and available_at > ${now} then 1 else 0 end)`.as("delayed"),
        sql<number>`sum(case when not (${held}) and available_at <= ${now} then 1 else 0 end)`.as("waiting"),
      ])
      .groupBy("queue")
      .execute();
    const failed = await this.#db
      .selectFrom("queue_failed_jobs")
      .select(["queue", (eb) => eb.fn.countAll<number>().as("failed")])
      .groupBy("queue")
      .execute();
    const byQueue = new Map<string, QueueCounts>();
    for (const row of jobs) {
      byQueue.set(row.queue, {
        queue: row.queue,
        waiting: toNumber(row.waiting),
        delayed: toNumber(row.delayed),
        active: toNumber(row.active),
        failed: 0,
      });
    }
    for (const row of failed) {
      const counts = byQueue.get(row.queue) ?? {
        queue: row.queue,
        waiting: 0,
        delayed: 0,
        active: 0,
        failed: 0,
      };
      byQueue.set(row.queue, { ...counts, failed: toNumber(row.failed) });
    }
    return [...byQueue.values()].sort((a, b) => a.queue.localeCompare(b.queue));
  }

  recordWorker(beat: WorkerBeat, ttlMs: number): Promise<void> {
    return retryTransient(() => recordWorkerBeat(this.#db, this.#dialect, beat, ttlMs));
  }

  async removeWorker(id: string): Promise<void> {
    await this.#db.deleteFrom("queue_workers").where("id", "=", id).execute();
  }

  listWorkers(): Promise<WorkerBeat[]> {
    return listWorkerBeats(this.#db);
  }

  claimOnce(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return retryTransient(() => claimPeriod(this.#db, this.#dialect, key, owner, ttlMs));
  }

  async close(): Promise<void> {
    await Promise.all([...this.#consumers].map((consumer) => consumer.close()));
    if (this.#ownsDb) await this.#db.destroy();
  }
}
