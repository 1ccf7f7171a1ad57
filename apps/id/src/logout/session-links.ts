import { isMysql } from "@marg/core/db";
import type { Kysely } from "kysely";
import type { IdTables } from "../db/schema.js";

/**
 * Which MARG session each OIDC session was signed in from (id_db's
 * oidc_session_links): written when a sign-in finishes, read when MARG sessions
 * end (sign-out anywhere, an admin, a disabled user) to end the OIDC sessions
 * they started. Kept in SQL with either provider store: it is small and is read
 * by user, which Redis keys are not.
 */
export class SessionLinks {
  constructor(
    private readonly db: Kysely<IdTables>,
    private readonly now: () => number = Date.now,
  ) {}

  async link(oidcSessionId: string, userId: number, margHandle: string, ttlSeconds: number): Promise<void> {
    const row = {
      oidc_session_id: oidcSessionId,
      user_id: userId,
      marg_handle: margHandle,
      created_at: this.now(),
      expires_at: this.now() + ttlSeconds * 1000,
    };
    const { oidc_session_id: _id, ...changes } = row;
    const insert = this.db.insertInto("oidc_session_links").values(row);
    await (isMysql(this.db)
      ? insert.onDuplicateKeyUpdate(changes)
      : insert.onConflict((oc) => oc.column("oidc_session_id").doUpdateSet(changes))
    ).execute();
  }

  /** The MARG handle an OIDC session was signed in from, if it is linked. */
  async handleOf(oidcSessionId: string): Promise<string | undefined> {
    const row = await this.db
      .selectFrom("oidc_session_links")
      .select("marg_handle")
      .where("oidc_session_id", "=", oidcSessionId)
      .executeTakeFirst();
    return row?.marg_handle;
  }

  /** OIDC sessions of a user started from these MARG sessions (`null`: from any). */
  async sessionsOf(userId: number, handles: readonly string[] | null): Promise<string[]> {
    if (handles !== null && handles.length === 0) return [];
    let query = this.db
      .selectFrom("oidc_session_links")
      .select("oidc_session_id")
      .where("user_id", "=", userId);
    if (handles !== null) query = query.where("marg_handle", "in", [...handles]);
    return (await query.execute()).map((row) => row.oidc_session_id);
  }

  async forget(oidcSessionIds: readonly string[]): Promise<void> {
    if (oidcSessionIds.length === 0) return;
    await this.db
      .deleteFrom("oidc_session_links")
      .where("oidc_session_id", "in", [...oidcSessionIds])
      .execute();
  }

  async pruneExpired(): Promise<void> {
    await this.db.deleteFrom("oidc_session_links").where("expires_at", "<", this.now()).execute();
  }
}
