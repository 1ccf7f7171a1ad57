import type { Kysely } from "kysely";
import { MargError } from "../../errors/marg-error.js";
import {
  DEVICE_FIELD,
  type SessionChange,
  type SessionRecord,
  type SessionStore,
  type SessionSummary,
} from "../types.js";
import type { SessionDatabase } from "./session-table.js";

/** Enough for the few requests a browser runs at once; each round lets at least one writer through. */
const MAX_WRITE_ATTEMPTS = 10;
const SWEEP_BATCH = 500;

/**
 * Sessions in the shared database's `sessions` table (SQLite on the laptop,
 * MySQL/MariaDB on servers). A write is read-merge-write on the JSON payload,
 * applied only if the row's `version` is still the one read, and retried
 * otherwise: no locks or transactions, the same on both dialects, and two
 * requests changing different keys both survive.
 */
export class DatabaseSessionStore<DB extends SessionDatabase = SessionDatabase> implements SessionStore {
  readonly #db: Kysely<SessionDatabase>;

  /** `db` is the shared `rbac` connection; any database type that has the `sessions` table fits. */
  constructor(db: Kysely<DB>) {
    // Kysely<DB> is invariant in DB; this store only ever names the sessions table.
    this.#db = db as unknown as Kysely<SessionDatabase>;
  }

  async read(storeKey: string): Promise<SessionRecord | null> {
    const row = await this.#db
      .selectFrom("sessions")
      .selectAll()
      .where("id", "=", storeKey)
      .where("expires_at", ">", Date.now())
      .executeTakeFirst();
    if (row === undefined) return null;
    return {
      data: parsePayload(row.payload),
      userId: row.user_id,
      createdAt: Number(row.created_at),
      lastActivity: Number(row.last_activity),
      expiresAt: Number(row.expires_at),
    };
  }

  async write(storeKey: string, change: SessionChange): Promise<boolean> {
    if (change.mode === "create") {
      await this.#db.deleteFrom("sessions").where("id", "=", storeKey).execute();
      await this.#db
        .insertInto("sessions")
        .values({
          id: storeKey,
          user_id: change.userId ?? null,
          payload: JSON.stringify(change.set),
          version: 0,
          created_at: change.createdAt,
          last_activity: change.lastActivity,
          expires_at: change.expiresAt,
        })
        .execute();
      return true;
    }
    for (let attempt = 0; attempt < MAX_WRITE_ATTEMPTS; attempt++) {
      const row = await this.#db
        .selectFrom("sessions")
        .select(["payload", "version"])
        .where("id", "=", storeKey)
        .where("expires_at", ">", Date.now())
        .executeTakeFirst();
      if (row === undefined) return false;
      const merged = { ...parsePayload(row.payload), ...change.set };
      for (const field of change.unset) delete merged[field];
      const result = await this.#db
        .updateTable("sessions")
        .set({
          payload: JSON.stringify(merged),
          version: row.version + 1,
          last_activity: change.lastActivity,
          expires_at: change.expiresAt,
          ...(change.userId === undefined ? {} : { user_id: change.userId }),
        })
        .where("id", "=", storeKey)
        .where("version", "=", row.version)
        .executeTakeFirst();
      if (result.numUpdatedRows > 0n) return true;
    }
    throw new MargError(
      "E_SESSION_WRITE_CONFLICT",
      `A session change collided with concurrent changes ${MAX_WRITE_ATTEMPTS} times; retry the request.`,
      { status: 503 },
    );
  }

  async destroy(storeKey: string): Promise<void> {
    await this.#db.deleteFrom("sessions").where("id", "=", storeKey).execute();
  }

  async touch(storeKey: string, times: { lastActivity: number; expiresAt: number }): Promise<boolean> {
    const result = await this.#db
      .updateTable("sessions")
      .set({ last_activity: times.lastActivity, expires_at: times.expiresAt })
      .where("id", "=", storeKey)
      .where("expires_at", ">", Date.now())
      .executeTakeFirst();
    return result.numUpdatedRows > 0n;
  }

  async listUserSessions(userId: string): Promise<SessionSummary[]> {
    const rows = await this.#db
      .selectFrom("sessions")
      .select(["id", "payload", "created_at", "last_activity", "expires_at"])
      .where("user_id", "=", userId)
      .where("expires_at", ">", Date.now())
      .orderBy("last_activity", "desc")
      .execute();
    return rows.map((row) => ({
      storeKey: row.id,
      userId,
      createdAt: Number(row.created_at),
      lastActivity: Number(row.last_activity),
      expiresAt: Number(row.expires_at),
      device: parsePayload(row.payload)[DEVICE_FIELD] ?? null,
    }));
  }

  async destroyUserSessions(userId: string): Promise<number> {
    const result = await this.#db.deleteFrom("sessions").where("user_id", "=", userId).executeTakeFirst();
    return Number(result.numDeletedRows);
  }

  /** Deletes expired rows in batches, so a long backlog never holds a long lock. */
  async sweepExpired(now = Date.now()): Promise<number> {
    let total = 0;
    for (;;) {
      const ids = await this.#db
        .selectFrom("sessions")
        .select("id")
        .where("expires_at", "<=", now)
        .limit(SWEEP_BATCH)
        .execute();
      if (ids.length === 0) return total;
      const result = await this.#db
        .deleteFrom("sessions")
        .where(
          "id",
          "in",
          ids.map((row) => row.id),
        )
        .where("expires_at", "<=", now)
        .executeTakeFirst();
      total += Number(result.numDeletedRows);
      if (ids.length < SWEEP_BATCH) return total;
    }
  }
}

/** A payload that is not a JSON object of strings reads as empty fields plus a poison field. */
function parsePayload(payload: string): Record<string, string> {
  try {
    const parsed: unknown = JSON.parse(payload);
    if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) {
      return parsed as Record<string, string>;
    }
  } catch {
    // fall through
  }
  // A field no codec can decode, so the session layer treats the session as unreadable.
  return { "!corrupt": "" };
}
