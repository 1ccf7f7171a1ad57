import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAppKey } from "../config/app-key.js";
import type { MargConfig } from "../config/config-types.js";
import { loadConfig } from "../config/load-config.js";
import { isMargError } from "../errors/index.js";
import { TEST_MYSQL } from "../testing/index.js";
import { createDatabases } from "./databases.js";
import type { MigrationSet } from "./migration-types.js";
import { createMigrator } from "./migrator.js";
import { ensureMysqlDatabase } from "./mysql-dialect-factory.js";
import { withId } from "./schema-helpers.js";
import { closedPort } from "./test-support.js";

const PASSWORD = "hunter2-not-to-be-printed";

function configFor(env: Record<string, string>): MargConfig {
  return loadConfig({
    root: "/nonexistent-marg-root",
    env: {
      APP_KEY: generateAppKey(),
      DB_CONNECTION: "mariadb",
      DB_HOST: TEST_MYSQL.host,
      DB_PORT: String(TEST_MYSQL.port),
      DB_USERNAME: TEST_MYSQL.user,
      DB_PASSWORD: TEST_MYSQL.password,
      MARG_APPS: "",
      ...env,
    },
  });
}

async function failureOf(promise: Promise<unknown>): Promise<Error & { code?: string }> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  if (!(error instanceof Error)) throw new Error("expected a failure");
  return error;
}

const NOTES: MigrationSet = {
  source: "test:notes",
  connection: "rbac",
  migrations: {
    "2026_01_01_000000_create_notes": {
      up: async (db) =>
        db.schema
          .createTable("notes")
          .$call(withId(db))
          .addColumn("body", "varchar(255)", (col) => col.notNull())
          .execute(),
    },
  },
};

describe("MySQL databases", () => {
  // Like the seed's `marg-rbac`: a hyphen, so every statement must quote it.
  const hyphenated = `marg_t_${randomBytes(4).toString("hex")}-rbac`;
  let admin: mysql.Connection;
  beforeAll(async () => {
    admin = await mysql.createConnection(TEST_MYSQL);
  });
  afterAll(async () => {
    await admin.query(`DROP DATABASE IF EXISTS \`${hyphenated}\``);
    await admin.end();
  });

  it("migrates a database whose name has a hyphen, creating it utf8mb4, and stores emoji", async () => {
    const config = configFor({ RBAC_DB_DATABASE: hyphenated });
    const databases = createDatabases(config, { readReplicas: false });
    try {
      const migrator = createMigrator(() => databases, [NOTES]);
      expect((await migrator.status()).map((row) => row.executedAt)).toEqual([null]);
      await migrator.latest();
      const [schema] = await admin.query<mysql.RowDataPacket[]>(
        "SELECT DEFAULT_COLLATION_NAME AS c FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = ?",
        [hyphenated],
      );
      expect(schema[0]?.c).toBe("utf8mb4_unicode_ci");
      const db = databases.connection<{ notes: { id?: number; body: string } }>("rbac");
      await db.insertInto("notes").values({ body: "ship it 🚀" }).execute();
      expect((await db.selectFrom("notes").select("body").executeTakeFirst())?.body).toBe("ship it 🚀");
      expect((await migrator.status())[0]).toMatchObject({ database: hyphenated, source: "test:notes" });
      expect(await ensureMysqlDatabase(config.db.connections.rbac)).toEqual({ created: false });
    } finally {
      await databases.destroy();
    }
  });

  it("reports a server that does not listen as E_DB_UNAVAILABLE naming host:port and the fix, never the password", async () => {
    const port = await closedPort();
    const databases = createDatabases(
      configFor({ DB_PORT: String(port), DB_PASSWORD: PASSWORD, DB_DATABASE: "x" }),
    );
    try {
      const error = await failureOf(
        databases.connection<{ t: { n: number } }>("app").selectFrom("t").selectAll().execute(),
      );
      expect(isMargError(error) && error.code).toBe("E_DB_UNAVAILABLE");
      expect(error.message).toContain(`127.0.0.1:${port}`);
      expect(error.message).toContain("DB_HOST / DB_PORT");
      expect(error.message).not.toContain(PASSWORD);
      const ping = await databases.ping("app");
      expect(ping).toMatchObject({ ok: false, code: "E_DB_UNAVAILABLE" });
    } finally {
      await databases.destroy();
    }
  });

  it("reports a wrong password as E_DB_ACCESS_DENIED, never printing it", async () => {
    const databases = createDatabases(configFor({ RBAC_DB_PASSWORD: PASSWORD }));
    try {
      const ping = await databases.ping("rbac");
      expect(ping).toMatchObject({ ok: false, code: "E_DB_ACCESS_DENIED" });
      expect(ping.message).toContain("RBAC_DB_USERNAME / RBAC_DB_PASSWORD");
      expect(ping.message).not.toContain(PASSWORD);
    } finally {
      await databases.destroy();
    }
  });

  it("reports a missing database as E_DB_UNKNOWN_DATABASE and points at marg migrate", async () => {
    const databases = createDatabases(configFor({ BUSINESS_DB_DATABASE: "marg_t_does_not_exist" }));
    try {
      const error = await failureOf(
        databases.connection<{ t: { n: number } }>("business").selectFrom("t").selectAll().execute(),
      );
      expect(isMargError(error) && error.code).toBe("E_DB_UNKNOWN_DATABASE");
      expect(error.message).toMatch(/`marg_t_does_not_exist` does not exist .* Run `marg migrate`/);
    } finally {
      await databases.destroy();
    }
  });
});
