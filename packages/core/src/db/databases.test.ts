import { writeFileSync } from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { generateAppKey } from "../config/app-key.js";
import { loadConfig } from "../config/load-config.js";
import { isMargError } from "../errors/index.js";
import { createTempDir } from "../testing/index.js";
import { createDatabases } from "./databases.js";
import type { ConnectionName } from "./migration-types.js";

const dir = createTempDir("db-sqlite");
afterAll(() => dir.remove());

function sqliteDatabases(storage: string) {
  const config = loadConfig({
    root: dir.path,
    env: { APP_KEY: generateAppKey(), STORAGE_PATH: storage, DB_DATABASE: "flow_db", MARG_APPS: "" },
  });
  return { config, databases: createDatabases(config) };
}

describe("SQLite databases", () => {
  it("keeps each database in its own file under STORAGE_PATH/database, creating the folder, in WAL mode", async () => {
    const { config, databases } = sqliteDatabases("storage-a");
    try {
      await databases.connection("app").schema.createTable("t").addColumn("n", "integer").execute();
      await databases.connection("rbac").schema.createTable("u").addColumn("n", "integer").execute();
      expect(config.db.connections.app.filename).toBe(
        path.join(dir.path, "storage-a", "database", "flow_db.sqlite"),
      );
      const tables = await databases.connection("app").introspection.getTables();
      expect(tables.map((table) => table.name)).toEqual(["t"]);
      const { rows } = await sql<{ journal_mode: string }>`pragma journal_mode`.execute(
        databases.connection("app"),
      );
      expect(rows[0]?.journal_mode).toBe("wal");
    } finally {
      await databases.destroy();
    }
  });

  it("enforces foreign keys", async () => {
    const { databases } = sqliteDatabases("storage-b");
    const db = databases.connection<{ parent: { id: number }; child: { parent_id: number } }>("app");
    try {
      await db.schema
        .createTable("parent")
        .addColumn("id", "integer", (col) => col.primaryKey())
        .execute();
      await db.schema
        .createTable("child")
        .addColumn("parent_id", "integer", (col) => col.references("parent.id"))
        .execute();
      await expect(db.insertInto("child").values({ parent_id: 42 }).execute()).rejects.toThrow(/FOREIGN KEY/);
    } finally {
      await databases.destroy();
    }
  });

  it("reports a file it cannot create as E_DB_UNAVAILABLE naming the file and STORAGE_PATH", async () => {
    writeFileSync(path.join(dir.path, "not-a-folder"), "");
    const { databases } = sqliteDatabases("not-a-folder");
    try {
      const ping = await databases.ping("app");
      expect(ping).toMatchObject({ ok: false, code: "E_DB_UNAVAILABLE" });
      expect(ping.message).toMatch(/not-a-folder.*flow_db\.sqlite .*STORAGE_PATH/);
    } finally {
      await databases.destroy();
    }
  });

  it("refuses a connection name that is not configured with E_DB_UNKNOWN_CONNECTION", () => {
    const { databases } = sqliteDatabases("storage-c");
    let error: unknown;
    try {
      databases.connection("reports" as ConnectionName);
    } catch (caught) {
      error = caught;
    }
    expect(isMargError(error) && error.code).toBe("E_DB_UNKNOWN_CONNECTION");
  });

  it("is unusable after destroy()", async () => {
    const { databases } = sqliteDatabases("storage-d");
    await databases.ping("app");
    await databases.destroy();
    expect(() => databases.connection("app")).toThrow(/destroyed/);
  });
});
