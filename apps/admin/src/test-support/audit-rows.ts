import type { Kysely } from "kysely";
import type { AdminDatabase } from "../database.js";

/** Audit rows for one action, oldest first, with before/after parsed: what tests assert on. */
export async function auditRows(db: Kysely<AdminDatabase>, action: string) {
  const rows = await db
    .selectFrom("audit_log")
    .selectAll()
    .where("action", "=", action)
    .orderBy("id")
    .execute();
  return rows.map((row) => ({
    actorUserId: row.actor_user_id === null ? null : Number(row.actor_user_id),
    subject: `${row.subject_type}:${row.subject_id}`,
    before: row.before_json === null ? null : JSON.parse(row.before_json),
    after: row.after_json === null ? null : JSON.parse(row.after_json),
    ip: row.ip,
    createdAt: Number(row.created_at),
  }));
}
