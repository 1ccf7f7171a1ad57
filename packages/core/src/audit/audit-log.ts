import type { Kysely, Transaction } from "kysely";
import type { AuditDatabase } from "./audit-schema.js";

/** What one admin action writes to the audit log. */
export interface AuditEntry {
  /** Who acted; null for the system. */
  readonly actorUserId: number | null;
  /** `noun.verb`: `user.disable`, `role.grant`, `job.retry`. */
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string | number;
  /** The subject's state before the change (JSON-safe, never a secret); omit for creations. */
  readonly before?: unknown;
  /** The state after; omit for deletions. */
  readonly after?: unknown;
  readonly ip?: string | null;
}

/** One audit row as pages and the API show it. */
export interface AuditRecord {
  readonly id: number;
  readonly actorUserId: number | null;
  /** The actor's name at read time, or null when the account is gone or it was the system. */
  readonly actorName: string | null;
  readonly action: string;
  readonly subjectType: string;
  readonly subjectId: string;
  readonly before: unknown;
  readonly after: unknown;
  readonly ip: string | null;
  readonly createdAt: number;
}

export interface AuditQuery {
  /** An exact action (`user.disable`) or a prefix ending in a dot (`user.`). */
  readonly action?: string;
  readonly actorUserId?: number;
  readonly subjectType?: string;
  readonly subjectId?: string;
  readonly page?: number;
  readonly perPage?: number;
}

export interface AuditPage {
  readonly items: readonly AuditRecord[];
  readonly total: number;
  readonly page: number;
  readonly perPage: number;
  readonly pages: number;
}

const toJson = (value: unknown): string | null => (value === undefined ? null : JSON.stringify(value));

function fromJson(text: string | null): unknown {
  if (text === null) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/**
 * The audit log (who, what, when, before/after), in marg-rbac: admin's actions and
 * every account event (sign-ins, sign-outs, 2FA…) in one trail.
 * Every admin mutation goes through `change()`, which writes the audit row in the
 * same transaction as the change: there is never a change without its row, nor a
 * row for a change that rolled back.
 *
 * @example
 * const user = await audit.change(async (trx) => {
 *   const after = await users.withDb(trx).disable(id);
 *   return { result: after, audit: { actorUserId, action: "user.disable", subjectType: "user", subjectId: id, before, after } };
 * });
 */
export class AuditLog<DB extends AuditDatabase = AuditDatabase> {
  readonly #db: Kysely<DB>;
  readonly #now: () => number;

  /** `db` is any database that holds `audit_log` and `users` (admin's has more tables). */
  constructor(db: Kysely<DB>, options: { now?: () => number } = {}) {
    this.#db = db;
    this.#now = options.now ?? Date.now;
  }

  // Kysely cannot narrow a generic DB to the tables this class names; every DB here holds them.
  #own(db: Kysely<DB>): Kysely<AuditDatabase> {
    return db as unknown as Kysely<AuditDatabase>;
  }

  /** Writes one row, on `db` when given (a transaction), else on its own. */
  async record(entry: AuditEntry, db: Kysely<DB> = this.#db): Promise<void> {
    await this.#own(db)
      .insertInto("audit_log")
      .values({
        actor_user_id: entry.actorUserId,
        action: entry.action,
        subject_type: entry.subjectType,
        subject_id: String(entry.subjectId),
        before_json: toJson(entry.before),
        after_json: toJson(entry.after),
        ip: entry.ip ?? null,
        created_at: this.#now(),
      })
      .execute();
  }

  /**
   * Runs `run` in a transaction and writes the audit entry it returns in that same
   * transaction. `run` must use only `trx`: on SQLite a query on the outer
   * connection would wait for this transaction forever.
   */
  async change<T>(
    run: (trx: Transaction<DB>) => Promise<{ result: T; audit: AuditEntry | null }>,
  ): Promise<T> {
    return this.#db.transaction().execute(async (trx) => {
      const { result, audit } = await run(trx);
      if (audit !== null) await this.record(audit, trx);
      return result;
    });
  }

  /** One page of entries, newest first. */
  async list(query: AuditQuery = {}): Promise<AuditPage> {
    const perPage = Math.min(100, Math.max(1, Math.trunc(query.perPage ?? 25)));
    const page = Math.max(1, Math.trunc(query.page ?? 1));
    let filtered = this.#own(this.#db).selectFrom("audit_log");
    const action = query.action?.trim() ?? "";
    if (action.endsWith(".")) filtered = filtered.where("audit_log.action", "like", `${action}%`);
    else if (action !== "") filtered = filtered.where("audit_log.action", "=", action);
    if (query.actorUserId !== undefined) filtered = filtered.where("actor_user_id", "=", query.actorUserId);
    if (query.subjectType) filtered = filtered.where("subject_type", "=", query.subjectType);
    if (query.subjectId) filtered = filtered.where("subject_id", "=", query.subjectId);
    const counted = await filtered.select((eb) => eb.fn.countAll().as("total")).executeTakeFirstOrThrow();
    const total = Number(counted.total);
    const rows = await filtered
      .leftJoin("users", "users.id", "audit_log.actor_user_id")
      .select([
        "audit_log.id",
        "audit_log.actor_user_id",
        "users.name as actor_name",
        "audit_log.action",
        "audit_log.subject_type",
        "audit_log.subject_id",
        "audit_log.before_json",
        "audit_log.after_json",
        "audit_log.ip",
        "audit_log.created_at",
      ])
      .orderBy("audit_log.created_at", "desc")
      .orderBy("audit_log.id", "desc")
      .limit(perPage)
      .offset((page - 1) * perPage)
      .execute();
    return {
      items: rows.map((row) => ({
        id: Number(row.id),
        actorUserId: row.actor_user_id === null ? null : Number(row.actor_user_id),
        actorName: row.actor_name ?? null,
        action: row.action,
        subjectType: row.subject_type,
        subjectId: row.subject_id,
        before: fromJson(row.before_json),
        after: fromJson(row.after_json),
        ip: row.ip,
        createdAt: Number(row.created_at),
      })),
      total,
      page,
      perPage,
      pages: Math.ceil(total / perPage),
    };
  }
}
