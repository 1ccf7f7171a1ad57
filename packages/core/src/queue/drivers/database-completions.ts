import type { Kysely } from "kysely";
import type { QueueTables } from "../queue-tables.js";
import { retryTransient } from "./database-retry.js";

interface Completion {
  readonly id: string;
  readonly reservation: string;
  readonly resolve: (kept: boolean) => void;
  readonly reject: (error: unknown) => void;
}

/** More rows than this in one DELETE gain nothing and make a long statement. */
const MOST_PER_GROUP = 200;

/** Thrown inside the group's transaction to undo it when some reservation was lost. */
class LostReservation extends Error {}

/**
 * Records completed jobs (deletes their rows) in groups, the way databases
 * group commits: the first completion is written at once, and those that
 * finish while it commits go together in the next statement. Each commit is
 * a write to the WAL (SQLite) or a redo-log flush (InnoDB), so one per group
 * instead of one per job is most of the database driver's throughput at
 * thousands of jobs a second; an idle worker still records each job at once.
 *
 * Only the holder of a reservation completes a job, as before: a group whose
 * DELETE matches fewer rows than it holds (some worker lost its reservation)
 * is undone and recorded job by job, so each job still learns whether it was kept.
 */
export class CompletionRecorder {
  #waiting: Completion[] = [];
  #writing = false;

  constructor(private readonly db: Kysely<QueueTables>) {}

  /** Deletes the job if this reservation still holds it; resolves false when it does not. */
  record(id: string, reservation: string): Promise<boolean> {
    return new Promise((resolve, reject) => {
      this.#waiting.push({ id, reservation, resolve, reject });
      // setImmediate, not at once: jobs that finish in the same turn of the event loop share the first write.
      if (!this.#writing) {
        this.#writing = true;
        setImmediate(() => void this.#drain());
      }
    });
  }

  async #drain(): Promise<void> {
    while (this.#waiting.length > 0) {
      const group = this.#waiting.splice(0, MOST_PER_GROUP);
      try {
        const kept = await retryTransient(() => this.#write(group));
        for (const [index, completion] of group.entries()) completion.resolve(kept[index] ?? false);
      } catch (error) {
        for (const completion of group) completion.reject(error);
      }
    }
    this.#writing = false;
  }

  async #write(group: readonly Completion[]): Promise<boolean[]> {
    if (group.length > 1) {
      try {
        await this.db.transaction().execute(async (trx) => {
          const deleted = await trx
            .deleteFrom("queue_jobs")
            .where((eb) =>
              eb.or(group.map((c) => eb.and([eb("id", "=", c.id), eb("reservation", "=", c.reservation)]))),
            )
            .executeTakeFirst();
          if (Number(deleted.numDeletedRows) !== group.length) throw new LostReservation();
        });
        return group.map(() => true);
      } catch (error) {
        if (!(error instanceof LostReservation)) throw error;
      }
    }
    const kept: boolean[] = [];
    for (const completion of group) {
      const deleted = await this.db
        .deleteFrom("queue_jobs")
        .where("id", "=", completion.id)
        .where("reservation", "=", completion.reservation)
        .executeTakeFirst();
      kept.push(deleted.numDeletedRows > 0n);
    }
    return kept;
  }
}
