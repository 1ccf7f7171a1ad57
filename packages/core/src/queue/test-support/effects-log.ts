import Database from "better-sqlite3";

/**
 * A side-effect table for queue tests, in its own SQLite file so any number of
 * worker processes (on any queue driver) can write to it: each handler run
 * records `started` and `completed` rows, and the test counts them per job id
 * to prove "never lost, never completed twice".
 */
export class EffectsLog {
  readonly #db: Database.Database;

  constructor(readonly file: string) {
    this.#db = new Database(file, { timeout: 10_000 });
    this.#db.pragma("journal_mode = WAL");
    this.#db.pragma("busy_timeout = 10000");
    this.#db.exec(
      "create table if not exists effects (job_id text not null, event text not null, pid integer not null, detail text, at integer not null)",
    );
  }

  record(jobId: string, event: string, detail = ""): void {
    this.#db
      .prepare("insert into effects (job_id, event, pid, detail, at) values (?, ?, ?, ?, ?)")
      .run(jobId, event, process.pid, detail, Date.now());
  }

  count(event: string, jobId?: string): number {
    const row =
      jobId === undefined
        ? this.#db.prepare("select count(*) as n from effects where event = ?").get(event)
        : this.#db
            .prepare("select count(*) as n from effects where event = ? and job_id = ?")
            .get(event, jobId);
    return (row as { n: number }).n;
  }

  /** Rows of one event, oldest first. */
  rows(event: string): { jobId: string; pid: number; detail: string; at: number }[] {
    return this.#db
      .prepare("select job_id as jobId, pid, detail, at from effects where event = ? order by at, rowid")
      .all(event) as { jobId: string; pid: number; detail: string; at: number }[];
  }

  /** How many times each job id has this event: `{ id: n }`. */
  tally(event: string): Map<string, number> {
    const rows = this.#db
      .prepare("select job_id as jobId, count(*) as n from effects where event = ? group by job_id")
      .all(event) as { jobId: string; n: number }[];
    return new Map(rows.map((row) => [row.jobId, row.n]));
  }

  close(): void {
    this.#db.close();
  }
}
