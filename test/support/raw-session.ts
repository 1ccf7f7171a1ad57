/**
 * Reads a session as it sits in the store, bypassing MARG: the raw Redis hash or
 * the raw `sessions` row of the SQLite file. For tests that check what someone
 * with a dump of the store (but not APP_KEY) could read. Read-only.
 */
import { createHash } from "node:crypto";
import path from "node:path";
import { TEST_REDIS } from "@marg/core/testing";
import SQLite from "better-sqlite3";
import { Redis } from "ioredis";

export type SessionDriverName = "database" | "redis";

/** The store key of a session cookie value `<id>.<mac>`: SHA-256 of the id, hex (docs/sessions.md). */
export function storeKeyOfCookie(cookieValue: string): string {
  const id = decodeURIComponent(cookieValue).split(".")[0] ?? "";
  return createHash("sha256").update(id).digest("hex");
}

/**
 * Every stored string of the session (field → raw value), or null if the store has
 * no such session. `root` is the installation (SQLite under storage/database).
 */
export async function readRawSession(
  driver: SessionDriverName,
  where: { root: string; redisPrefix?: string },
  cookieValue: string,
): Promise<Record<string, string> | null> {
  const storeKey = storeKeyOfCookie(cookieValue);
  if (driver === "redis") {
    const redis = new Redis({ ...TEST_REDIS, lazyConnect: true, maxRetriesPerRequest: 1 });
    try {
      await redis.connect();
      const hash = await redis.hgetall(`${where.redisPrefix ?? ""}session:${storeKey}`);
      return Object.keys(hash).length === 0 ? null : hash;
    } finally {
      redis.disconnect();
    }
  }
  const file = path.join(where.root, "storage", "database", "marg-rbac.sqlite");
  const db = new SQLite(file, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("SELECT * FROM sessions WHERE id = ?").get(storeKey) as
      | Record<string, unknown>
      | undefined;
    if (row === undefined) return null;
    const payload = JSON.parse(String(row.payload)) as Record<string, string>;
    const flat: Record<string, string> = {};
    for (const [column, value] of Object.entries(row)) if (column !== "payload") flat[column] = String(value);
    for (const [field, value] of Object.entries(payload)) flat[`payload:${field}`] = value;
    return flat;
  } finally {
    db.close();
  }
}
