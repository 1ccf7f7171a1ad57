import type { Kysely, Migration } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isMargError } from "../errors/index.js";
import { createDatabases } from "./databases.js";
import type { MigrationSet } from "./migration-types.js";
import { createMigrator, type MigratorEvent } from "./migrator.js";
import { withId, withTimestampsMs } from "./schema-helpers.js";
import { DB_TEST_DRIVERS, type TestInstallation } from "./test-support.js";
import type { Databases } from "./types.js";

interface TaskTables {
  tasks: { id?: number; title: string; done: number; created_at: number; updated_at: number };
  notes: { id?: number; body: string };
}

const createTasks: Migration = {
  async up(db) {
    await db.schema
      .createTable("tasks")
      .$call(withId(db))
      .addColumn("title", "varchar(255)", (col) => col.notNull())
      .addColumn("done", "integer", (col) => col.notNull().defaultTo(0))
      .$call(withTimestampsMs)
      .execute();
    await db.schema.createIndex("tasks_done_index").on("tasks").column("done").execute();
  },
  async down(db) {
    await db.schema.dropTable("tasks").execute();
  },
};

const createNotes: Migration = {
  async up(db) {
    await db.schema
      .createTable("notes")
      .$call(withId(db))
      .addColumn("body", "text", (col) => col.notNull())
      .execute();
  },
  async down(db) {
    await db.schema.dropTable("notes").execute();
  },
};

const TASKS: MigrationSet = {
  source: "test:tasks",
  connection: "app",
  migrations: { "2026_01_01_000000_create_tasks": createTasks },
};
// A second module on the same database, with an older name: it must still run (unordered).
const NOTES: MigrationSet = {
  source: "test:notes",
  connection: "app",
  migrations: { "2025_12_31_000000_create_notes": createNotes },
};

async function tableExists(db: Kysely<unknown>, name: string): Promise<boolean> {
  return (await db.introspection.getTables()).some((table) => table.name === name);
}

for (const driver of DB_TEST_DRIVERS) {
  describe(`migrations on ${driver.name}`, () => {
    let installation: TestInstallation;
    let databases: Databases;
    beforeAll(async () => {
      installation = await driver.install("migrator");
      databases = createDatabases(installation.config, { readReplicas: false });
    });
    afterAll(async () => {
      await databases?.destroy();
      await installation?.cleanup();
    });

    it("runs every pending migration of every module, and the tables work: insert, select by index, update", async () => {
      const migrator = createMigrator(() => databases, [TASKS, NOTES]);
      const before = await migrator.status();
      expect(before.map((row) => [row.source, row.name, row.executedAt])).toEqual([
        ["test:notes", "2025_12_31_000000_create_notes", null],
        ["test:tasks", "2026_01_01_000000_create_tasks", null],
      ]);

      const events: MigratorEvent[] = [];
      const steps = await createMigrator(() => databases, [TASKS, NOTES], {
        onEvent: (e) => events.push(e),
      }).latest();
      expect(steps.map((step) => step.name)).toEqual([
        "2025_12_31_000000_create_notes",
        "2026_01_01_000000_create_tasks",
      ]);
      expect(events.filter((event) => event.type === "step")).toHaveLength(2);

      const after = await migrator.status();
      expect(after.every((row) => row.executedAt instanceof Date)).toBe(true);
      expect(after[0]).toMatchObject({
        connection: "app",
        database: installation.config.db.connections.app.database,
      });

      const db = databases.connection<TaskTables>("app");
      const now = Date.now();
      await db
        .insertInto("tasks")
        .values({ title: "write tests", done: 0, created_at: now, updated_at: now })
        .execute();
      await db.updateTable("tasks").set({ done: 1 }).where("title", "=", "write tests").execute();
      const row = await db.selectFrom("tasks").selectAll().where("done", "=", 1).executeTakeFirstOrThrow();
      expect(row).toMatchObject({ id: 1, title: "write tests", created_at: now });
    });

    it("runs nothing the second time", async () => {
      const migrator = createMigrator(() => databases, [TASKS, NOTES]);
      await migrator.latest();
      expect(await migrator.latest()).toEqual([]);
    });

    it("rolls back the most recent migration, then the one before, and status shows them pending", async () => {
      const migrator = createMigrator(() => databases, [TASKS, NOTES]);
      await migrator.latest();
      const first = await migrator.rollback();
      expect(first.map((step) => [step.name, step.direction])).toEqual([
        ["2026_01_01_000000_create_tasks", "down"],
      ]);
      expect(await tableExists(databases.connection("app"), "tasks")).toBe(false);
      expect(await tableExists(databases.connection("app"), "notes")).toBe(true);

      await migrator.rollback({ steps: 5 });
      expect((await migrator.status()).every((row) => row.executedAt === null)).toBe(true);
      expect(await tableExists(databases.connection("app"), "notes")).toBe(false);
    });

    it("stops at a failing migration with E_MIGRATION_FAILED naming it and the cause, keeping the ones before", async () => {
      const broken: MigrationSet = {
        source: "test:broken",
        connection: "business",
        migrations: {
          "2026_02_01_000000_create_good": {
            up: async (db) => db.schema.createTable("good").addColumn("n", "integer").execute(),
          },
          "2026_02_02_000000_break": {
            up: async (db) => db.schema.createTable("good").addColumn("n", "integer").execute(),
          },
          "2026_02_03_000000_never_reached": {
            up: async (db) => db.schema.createTable("later").addColumn("n", "integer").execute(),
          },
        },
      };
      const migrator = createMigrator(() => databases, [broken]);
      const error = await migrator.latest().then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(isMargError(error) && error.code).toBe("E_MIGRATION_FAILED");
      expect((error as Error).message).toMatch(
        /2026_02_02_000000_break \(test:broken, database .*\) failed: .*good/,
      );
      const executed = (await migrator.status()).map((row) => [row.name, row.executedAt !== null]);
      expect(executed).toEqual([
        ["2026_02_01_000000_create_good", true],
        ["2026_02_02_000000_break", false],
        ["2026_02_03_000000_never_reached", false],
      ]);
    });

    it("refuses two modules declaring the same migration name on one database", () => {
      const twin: MigrationSet = {
        source: "test:twin",
        connection: "app",
        migrations: { "2025_12_31_000000_create_notes": { ...createNotes } },
      };
      expect(() => createMigrator(() => databases, [NOTES, twin])).toThrow(
        /declared by both test:notes and test:twin/,
      );
    });

    it("plans a set once when it reaches the same database twice (two apps sharing one database)", async () => {
      const rows = await createMigrator(
        () => databases,
        [NOTES, { ...NOTES, source: "test:notes-copy" }],
      ).status();
      expect(rows.map((row) => row.name)).toEqual(["2025_12_31_000000_create_notes"]);
    });

    it("answers a ping with ok and a latency", async () => {
      const result = await databases.ping("rbac");
      expect(result).toMatchObject({ connection: "rbac", ok: true });
    });
  });
}
