import { isMysql } from "@marg/core/db";
import type { Kysely } from "kysely";
import type { IdTables } from "../db/schema.js";
import {
  type AdapterPayload,
  epochSeconds,
  type OidcAdapter,
  type OidcAdapterFactory,
} from "./oidc-adapter.js";

type Row = IdTables["oidc_payloads"];

/**
 * oidc-provider's models in id_db's `oidc_payloads` (no Redis): one row per
 * (model, id) with its expiry; an expired row reads as missing and is deleted
 * by {@link pruneExpiredPayloads}. Consuming a code or refresh token stamps
 * `consumed_at`, which the provider sees as `consumed` (so a replayed code is
 * refused and its grant revoked).
 */
export class SqlOidcAdapter implements OidcAdapter {
  constructor(
    private readonly db: Kysely<IdTables>,
    private readonly model: string,
    private readonly now: () => number = Date.now,
  ) {}

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const row: Row = {
      model: this.model,
      id,
      payload: JSON.stringify(payload),
      grant_id: payload.grantId ?? null,
      user_code: payload.userCode ?? null,
      uid: payload.uid ?? null,
      expires_at: expiresIn ? this.now() + expiresIn * 1000 : null,
      consumed_at: null,
    };
    const { model: _model, id: _id, ...changes } = row;
    const insert = this.db.insertInto("oidc_payloads").values(row);
    await (isMysql(this.db)
      ? insert.onDuplicateKeyUpdate(changes)
      : insert.onConflict((oc) => oc.columns(["model", "id"]).doUpdateSet(changes))
    ).execute();
  }

  find(id: string): Promise<AdapterPayload | undefined> {
    return this.#findBy("id", id);
  }

  findByUid(uid: string): Promise<AdapterPayload | undefined> {
    return this.#findBy("uid", uid);
  }

  findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    return this.#findBy("user_code", userCode);
  }

  async consume(id: string): Promise<void> {
    await this.db
      .updateTable("oidc_payloads")
      .set({ consumed_at: this.now() })
      .where("model", "=", this.model)
      .where("id", "=", id)
      .execute();
  }

  async destroy(id: string): Promise<void> {
    await this.db.deleteFrom("oidc_payloads").where("model", "=", this.model).where("id", "=", id).execute();
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    await this.db
      .deleteFrom("oidc_payloads")
      .where("model", "=", this.model)
      .where("grant_id", "=", grantId)
      .execute();
  }

  async #findBy(column: "id" | "uid" | "user_code", value: string): Promise<AdapterPayload | undefined> {
    const row = await this.db
      .selectFrom("oidc_payloads")
      .select(["payload", "expires_at", "consumed_at"])
      .where("model", "=", this.model)
      .where(column, "=", value)
      .executeTakeFirst();
    if (row === undefined) return undefined;
    if (row.expires_at !== null && Number(row.expires_at) <= this.now()) return undefined;
    const payload = JSON.parse(row.payload) as AdapterPayload;
    return row.consumed_at === null
      ? payload
      : { ...payload, consumed: epochSeconds(Number(row.consumed_at)) };
  }
}

export function sqlOidcAdapters(db: Kysely<IdTables>, now?: () => number): OidcAdapterFactory {
  return (model) => new SqlOidcAdapter(db, model, now);
}

/** Deletes rows that expired before `now` (a schedule calls it; reads already ignore them). */
export async function pruneExpiredPayloads(db: Kysely<IdTables>, now = Date.now()): Promise<number> {
  const result = await db.deleteFrom("oidc_payloads").where("expires_at", "<", now).executeTakeFirst();
  return Number(result.numDeletedRows);
}
