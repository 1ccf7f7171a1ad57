import type { Kysely } from "kysely";
import type { QueueTables } from "../queue-tables.js";
import type { ConsumeOptions, JobOutcome, JobProcessor, QueueConsumer, QueueLogger } from "../types.js";
import { CompletionRecorder } from "./database-completions.js";
import { reserveJobs } from "./database-reservation.js";
import { retryTransient } from "./database-retry.js";
import { failedRowOf, type JobRow, reservedJobOf, type SqlDialect, toNumber } from "./database-rows.js";
import { stalledReason } from "./stalled-reason.js";

interface InFlight {
  readonly row: JobRow;
  readonly controller: AbortController;
  done: Promise<void>;
}

/**
 * The database driver's worker loop: claim as many jobs as there are free
 * slots, run them, renew their reservations while they run (so a slow job is
 * never mistaken for a dead worker's), and record each outcome. Only the
 * holder of a reservation can finish a job: a worker that lost it (paused
 * past the lock) cannot complete a job someone else already re-ran.
 */
export class DatabaseJobConsumer implements QueueConsumer {
  readonly #inFlight = new Map<string, InFlight>();
  readonly #loop: Promise<void>;
  readonly #renewTimer: NodeJS.Timeout;
  readonly #completions: CompletionRecorder;
  #closing = false;
  #wake: () => void = () => {};

  constructor(
    private readonly db: Kysely<QueueTables>,
    private readonly dialect: SqlDialect,
    private readonly options: ConsumeOptions,
    private readonly processor: JobProcessor,
    private readonly logger: QueueLogger,
  ) {
    this.#completions = new CompletionRecorder(db);
    this.#renewTimer = setInterval(
      () => void this.#renew(),
      Math.max(50, Math.floor(options.lockDurationMs / 3)),
    );
    this.#loop = this.#run();
  }

  async close(): Promise<void> {
    this.#closing = true;
    this.#wake();
    await this.#loop;
    await Promise.all([...this.#inFlight.values()].map((job) => job.done));
    clearInterval(this.#renewTimer);
  }

  /** Sleeps `ms`, or less when a slot frees or close() is called. */
  #pause(ms: number, untilSlotFrees: boolean): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
      if (untilSlotFrees) {
        void Promise.race([...this.#inFlight.values()].map((job) => job.done)).then(() => this.#wake());
      }
    });
  }

  async #run(): Promise<void> {
    while (!this.#closing) {
      const free = this.options.concurrency - this.#inFlight.size;
      if (free <= 0) {
        await this.#pause(60_000, true);
        continue;
      }
      let rows: JobRow[];
      let token: string;
      try {
        ({ rows, token } = await retryTransient(() =>
          reserveJobs(this.db, this.dialect, {
            queues: this.options.queues,
            limit: free,
            workerId: this.options.workerId,
            lockDurationMs: this.options.lockDurationMs,
            now: Date.now(),
          }),
        ));
      } catch (error) {
        this.logger.error(
          { err: (error as Error).message },
          "could not reserve jobs; retrying after --sleep",
        );
        await this.#pause(this.options.pollIntervalMs, false);
        continue;
      }
      if (rows.length === 0) {
        await this.#pause(this.options.pollIntervalMs, this.#inFlight.size > 0);
        continue;
      }
      for (const row of rows) this.#start(row, token);
    }
  }

  #start(row: JobRow, token: string): void {
    const entry: InFlight = {
      row: { ...row, reservation: token },
      controller: new AbortController(),
      done: Promise.resolve(),
    };
    this.#inFlight.set(row.id, entry);
    entry.done = this.#handle(entry).finally(() => {
      this.#inFlight.delete(row.id);
    });
  }

  async #handle(entry: InFlight): Promise<void> {
    const { row } = entry;
    const outcome: JobOutcome =
      toNumber(row.stalls) > this.options.maxStalls
        ? { status: "failed", error: stalledReason(toNumber(row.stalls)) }
        : await this.processor(reservedJobOf(row), entry.controller.signal);
    for (let attempt = 1; ; attempt += 1) {
      try {
        const kept = await retryTransient(() => this.#record(row, outcome));
        if (!kept) {
          this.logger.warn(
            { jobId: row.id, job: row.name },
            "this worker lost the job's reservation while it ran (lock expired); another worker may run it again",
          );
        }
        return;
      } catch (error) {
        if (attempt >= 5) {
          this.logger.error(
            { jobId: row.id, err: (error as Error).message },
            "could not record the job's outcome",
          );
          return;
        }
        await new Promise((resolve) => setTimeout(resolve, 200 * attempt));
      }
    }
  }

  /** Applies an outcome if we still hold the reservation; false when we lost it. */
  async #record(row: JobRow, outcome: JobOutcome): Promise<boolean> {
    const mine = { id: row.id, reservation: row.reservation ?? "" };
    const now = Date.now();
    if (outcome.status === "completed") return this.#completions.record(mine.id, mine.reservation);
    if (outcome.status === "retry") {
      const result = await this.db
        .updateTable("queue_jobs")
        .set({
          attempts: toNumber(row.attempts) + 1,
          available_at: now + outcome.delayMs,
          reserved_until: null,
          reserved_by: null,
          reservation: null,
          last_error: outcome.error.slice(0, 60_000),
        })
        .where("id", "=", mine.id)
        .where("reservation", "=", mine.reservation)
        .executeTakeFirst();
      return result.numUpdatedRows > 0n;
    }
    // A stall failure did not run the handler, so it adds no attempt.
    const attempts = toNumber(row.attempts) + (toNumber(row.stalls) > this.options.maxStalls ? 0 : 1);
    return this.db.transaction().execute(async (trx) => {
      const removed = await trx
        .deleteFrom("queue_jobs")
        .where("id", "=", mine.id)
        .where("reservation", "=", mine.reservation)
        .executeTakeFirst();
      if (removed.numDeletedRows === 0n) return false;
      await trx.deleteFrom("queue_failed_jobs").where("id", "=", row.id).execute();
      await trx
        .insertInto("queue_failed_jobs")
        .values(failedRowOf(row, outcome.error.slice(0, 60_000), attempts, now))
        .execute();
      return true;
    });
  }

  /** Extends every reservation in flight; a job running longer than the lock is not a stall. */
  async #renew(): Promise<void> {
    const tokens = [...new Set([...this.#inFlight.values()].map((job) => job.row.reservation ?? ""))];
    if (tokens.length === 0) return;
    try {
      await this.db
        .updateTable("queue_jobs")
        .set({ reserved_until: Date.now() + this.options.lockDurationMs })
        .where("reserved_by", "=", this.options.workerId)
        .where("reservation", "in", tokens)
        .execute();
    } catch (error) {
      this.logger.warn({ err: (error as Error).message }, "could not renew job reservations");
    }
  }
}
