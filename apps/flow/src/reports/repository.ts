import type { Kysely, Selectable } from "kysely";
import type { FlowTables } from "../flow-tables.js";
import { insertedId, pageCount } from "../shared/sql-helpers.js";
import type { Page } from "../tasks/types.js";
import type { ReportsTable } from "./tables.js";
import { REPORT_STATES, type Report, type ReportState } from "./types.js";

function toReport(row: Selectable<ReportsTable>): Report {
  const state = row.state as ReportState;
  return {
    id: Number(row.id),
    userId: Number(row.user_id),
    kind: "tasks",
    scope: row.scope === "all" ? "all" : "mine",
    from: row.from_on,
    to: row.to_on,
    state: REPORT_STATES.includes(state) ? state : "failed",
    fileKey: row.file_key,
    rowCount: row.row_count === null ? null : Number(row.row_count),
    error: row.error,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

/** The `reports` table: what each user asked for and how far it got. */
export class ReportRepository {
  constructor(
    private readonly db: Kysely<FlowTables>,
    private readonly now: () => number = Date.now,
  ) {}

  async create(input: { userId: number; scope: "all" | "mine"; from: string; to: string }): Promise<Report> {
    const now = this.now();
    const id = insertedId(
      await this.db
        .insertInto("reports")
        .values({
          user_id: input.userId,
          kind: "tasks",
          scope: input.scope,
          from_on: input.from,
          to_on: input.to,
          state: "queued",
          file_key: null,
          row_count: null,
          error: null,
          created_at: now,
          updated_at: now,
        })
        .executeTakeFirst(),
    );
    const report = await this.find(id);
    if (report === null) throw new Error(`report ${id} vanished right after it was stored`);
    return report;
  }

  async find(id: number): Promise<Report | null> {
    const row = await this.db.selectFrom("reports").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : toReport(row);
  }

  /** One user's reports, newest first. */
  async listForUser(userId: number, page: number, perPage: number): Promise<Page<Report>> {
    const base = this.db.selectFrom("reports").where("user_id", "=", userId);
    const counted = await base.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const total = Number(counted.total);
    const rows = await base
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute();
    return { items: rows.map(toReport), total, page, perPage, pages: pageCount(total, perPage) };
  }

  async markRunning(id: number): Promise<void> {
    await this.#set(id, { state: "running", error: null });
  }

  async markReady(id: number, fileKey: string, rowCount: number): Promise<void> {
    await this.#set(id, { state: "ready", file_key: fileKey, row_count: rowCount, error: null });
  }

  async markFailed(id: number, error: string): Promise<void> {
    await this.#set(id, { state: "failed", error: error.slice(0, 500) });
  }

  async #set(id: number, changes: Partial<Omit<ReportsTable, "id">>): Promise<void> {
    await this.db
      .updateTable("reports")
      .set({ ...changes, updated_at: this.now() })
      .where("id", "=", id)
      .execute();
  }
}
