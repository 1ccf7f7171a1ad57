import { type Kysely, sql } from "kysely";
import mysql from "mysql2/promise";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createMigrator } from "../db/migrator.js";
import { maintenanceMigrations } from "../maintenance/maintenance-migrations.js";
import { findFreePort } from "../redis/test-support/redis-server-process.js";
import { sessionMigrations } from "../session/stores/session-migrations.js";
import {
  createScratchMysqlDatabase,
  createScratchMysqlUser,
  type ScratchDatabase,
  TEST_MYSQL,
} from "../testing/index.js";
import { checkDatabases } from "./database-findings.js";
import { checkSeedIndexes } from "./index-findings.js";
import { type DoctorFixture, doctorFixture } from "./test-support/doctor-fixture.js";

// The databases as doctor sees them: one really unreachable, migrations really
// pending, MariaDB's slow query log really off and on, and the seed's `tasks`
// table really created without the indexes its "High Database Load" section adds.

const fixtures: DoctorFixture[] = [];
afterEach(async () => {
  for (const fixture of fixtures.splice(0)) await fixture.close();
});

async function fixture(options: Parameters<typeof doctorFixture>[0]) {
  const made = await doctorFixture(options);
  fixtures.push(made);
  return made;
}

let scratch: ScratchDatabase;
beforeAll(async () => {
  scratch = await createScratchMysqlDatabase("doctor_db");
});
afterAll(() => scratch.drop());

const onMysql = () => ({
  DB_CONNECTION: "mysql",
  DB_HOST: TEST_MYSQL.host,
  DB_PORT: String(TEST_MYSQL.port),
  DB_USERNAME: TEST_MYSQL.user,
  ...(TEST_MYSQL.password === "" ? {} : { DB_PASSWORD: TEST_MYSQL.password }),
  DB_DATABASE: scratch.name,
  RBAC_DB_DATABASE: scratch.name,
  BUSINESS_DB_DATABASE: scratch.name,
});

describe("doctor: databases", () => {
  it("fails a database it cannot reach, and says how to bring it back", async () => {
    const doctor = await fixture({
      shared: {
        RBAC_DB_DRIVER: "mysql",
        RBAC_DB_HOST: "127.0.0.1",
        RBAC_DB_PORT: String(await findFreePort()),
      },
    });
    await doctor.run(checkDatabases);
    expect(doctor.finding("database.reachable.rbac")).toMatchObject({
      level: "fail",
      message: expect.stringContaining("E_DB_UNAVAILABLE"),
      fix: expect.stringContaining("systemctl start mysql"),
    });
    expect(doctor.finding("database.reachable.flow").level).toBe("ok");
  });

  it("fails while migrations are pending, naming them, and is ok once `marg migrate` ran them", async () => {
    const listed = [sessionMigrations, maintenanceMigrations];
    const doctor = await fixture({ migrations: [sessionMigrations], listed });
    await doctor.run(checkDatabases);
    expect(doctor.finding("database.migrations")).toMatchObject({
      level: "fail",
      message: expect.stringContaining("create_maintenance_table"),
      fix: expect.stringContaining("marg migrate"),
    });
    const databases = doctor.ctx.databasesFor(doctor.installation);
    await createMigrator(() => databases, listed).latest();
    await doctor.run(checkDatabases);
    expect(doctor.finding("database.migrations").level).toBe("ok");
    expect(doctor.finding("database.slow-query-log")).toMatchObject({
      level: "ok",
      message: expect.stringContaining("SQLite"),
    });
  });

  it("warns while MariaDB's slow query log is off and is ok once it is on", async () => {
    const admin = await mysql.createConnection(TEST_MYSQL);
    const [[before]] = (await admin.query("SELECT @@GLOBAL.slow_query_log AS on_")) as unknown as [
      [{ on_: number }],
    ];
    try {
      const doctor = await fixture({ shared: onMysql() });
      const id = `database.slow-query-log.${TEST_MYSQL.host}:${TEST_MYSQL.port}`;
      await admin.query("SET GLOBAL slow_query_log = 0");
      await doctor.run(checkDatabases);
      expect(doctor.finding(id)).toMatchObject({
        level: "warn",
        fix: expect.stringContaining("slow_query_log = 1"),
      });
      await admin.query("SET GLOBAL slow_query_log = 1");
      await doctor.run(checkDatabases);
      expect(doctor.finding(id).level).toBe("ok");
    } finally {
      await admin.query(`SET GLOBAL slow_query_log = ${before.on_ ? 1 : 0}`);
      await admin.end();
    }
  });
});

describe("doctor: read replicas", () => {
  it("warns while the app user may not read a replica's status (lag protection off), naming the GRANT", async () => {
    const user = await createScratchMysqlUser("doctor_lag");
    try {
      await user.grant("SELECT, INSERT, UPDATE, DELETE, CREATE, ALTER, INDEX, DROP", `\`${scratch.name}\`.*`);
      const server = `${TEST_MYSQL.host}:${TEST_MYSQL.port}`;
      const doctor = await fixture({
        shared: { ...onMysql(), DB_USERNAME: user.user, DB_PASSWORD: user.password, DB_READ_HOSTS: server },
      });
      const id = `database.replica-lag.${server}`;
      await doctor.run(checkDatabases);
      expect(doctor.finding(id)).toMatchObject({
        level: "warn",
        message: expect.stringContaining("SLAVE MONITOR"),
        fix: expect.stringContaining(`GRANT SLAVE MONITOR ON *.* TO ${user.account}`),
      });
      // Granted, the probe gets an answer: this server is not a replica, which is a different warning.
      await user.grant("SLAVE MONITOR", "*.*");
      await doctor.run(checkDatabases);
      expect(doctor.finding(id)).toMatchObject({
        level: "warn",
        message: expect.stringContaining("not a replica"),
      });
      expect(doctor.finding(id).message).not.toContain("SLAVE MONITOR");
    } finally {
      await user.drop();
    }
  });

  it("says there is nothing to check without DB_READ_HOSTS", async () => {
    const doctor = await fixture({ shared: onMysql() });
    await doctor.run(checkDatabases);
    expect(doctor.finding("database.replica-lag").level).toBe("ok");
  });
});

for (const driver of ["sqlite", "mysql"] as const) {
  describe(`doctor: the seed's indexes (${driver})`, () => {
    it("warns for each index the seed adds to tasks until a migration adds it", async () => {
      const doctor = await fixture(driver === "mysql" ? { shared: onMysql() } : {});
      const flow = doctor.ctx.apps.find((app) => app.id === "flow")?.config;
      if (flow === undefined) throw new Error("flow did not load");
      const db = doctor.ctx.databasesFor(flow).connection<unknown>("app") as Kysely<unknown>;
      await sql`DROP TABLE IF EXISTS tasks`.execute(db);
      await db.schema
        .createTable("tasks")
        .addColumn("id", "integer", (c) => c.primaryKey())
        .addColumn("user_id", "integer")
        .addColumn("status", "varchar(20)")
        .addColumn("created_at", "bigint")
        .execute();
      try {
        await doctor.run(checkSeedIndexes);
        const ids = (await doctor.run(checkSeedIndexes)).findings.map(
          (finding) => `${finding.level} ${finding.id}`,
        );
        expect(ids.filter((id) => id.startsWith("warn database.index."))).toHaveLength(2);
        await db.schema.createIndex("tasks_user_id_index").on("tasks").column("user_id").execute();
        const after = (await doctor.run(checkSeedIndexes)).findings;
        expect(after).toHaveLength(1);
        expect(after[0]).toMatchObject({
          level: "warn",
          message: expect.stringContaining("(status, created_at)"),
        });
        await db.schema
          .createIndex("tasks_status_created_index")
          .on("tasks")
          .columns(["status", "created_at"])
          .execute();
        expect((await doctor.run(checkSeedIndexes)).findings).toEqual([
          expect.objectContaining({ id: "database.indexes", level: "ok" }),
        ]);
      } finally {
        await sql`DROP TABLE IF EXISTS tasks`.execute(db);
      }
    });
  });
}
