import {
  ARGON2_INSECURE_TEST_PARAMS,
  type AuthDatabase,
  PasswordHasher,
  UserRepository,
} from "@marg/core/auth";
import { createDatabases, createMigrator, type Databases, runSeeders } from "@marg/core/db";
import { coreMigrations } from "@marg/core/kernel";
import { RbacRepository, type RbacTables, seedRbacDefaults } from "@marg/core/rbac";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AttachmentRepository } from "../attachments/repository.js";
import { FeedbackRepository } from "../feedback/repository.js";
import type { BusinessTables } from "../feedback/tables.js";
import { flowMigrations } from "../flow-migrations.js";
import type { FlowTables } from "../flow-tables.js";
import { PeopleDirectory } from "../people/repository.js";
import { ReportRepository } from "../reports/repository.js";
import { DEMO_TASKS, demoTasksSeeder } from "../tasks/demo-seeder.js";
import { toTaskListQuery } from "../tasks/list-query.js";
import { TaskRepository } from "../tasks/repository.js";
import { TaskService } from "../tasks/service.js";
import type { FlowDbDriver, FlowDbInstallation } from "./flow-db-drivers.js";

/**
 * The schema and SQL of flow, the same on every driver: the migrations (with
 * the seed's two `tasks` indexes by name), the queries behind the pages, the
 * demo seeder's idempotence and the rollback.
 */
export function defineFlowSchemaSuite(driver: FlowDbDriver): void {
  describe(`flow's migrations and queries on ${driver.name}`, () => {
    let installation: FlowDbInstallation;
    let databases: Databases;
    let db: Kysely<FlowTables>;
    const migrator = () => createMigrator(() => databases, [...coreMigrations, ...flowMigrations]);

    beforeAll(async () => {
      installation = await driver.install("schema");
      databases = createDatabases(installation.config, { readReplicas: false });
      await migrator().latest();
      db = databases.connection<FlowTables>("app");
    });

    afterAll(async () => {
      await databases?.destroy();
      await installation?.cleanup();
    });

    it("creates flow's tables in its own database", async () => {
      expect(await installation.tables()).toEqual(
        expect.arrayContaining(["reports", "task_activity", "task_attachments", "task_comments", "tasks"]),
      );
      expect(await installation.tables()).not.toContain("feedback");
    });

    it("indexes tasks on user_id and (status, created_at) under the seed's names, plus what the filters need", async () => {
      const indexes = await installation.indexes("tasks");
      expect(indexes.tasks_user_id_index).toEqual(["user_id"]);
      expect(indexes.tasks_status_created_at_index).toEqual(["status", "created_at"]);
      expect(indexes.tasks_assignee_id_index).toEqual(["assignee_id"]);
      expect(indexes.tasks_due_on_index).toEqual(["due_on"]);
    });

    it("runs the list's filters, search and sorting in SQL", async () => {
      const tasks = new TaskRepository(databases.connection<FlowTables>("app"));
      const now = Date.UTC(2030, 0, 15);
      const add = (
        title: string,
        extra: Partial<{
          status: string;
          due_on: string | null;
          assignee_id: number | null;
          user_id: number;
          created_at: number;
        }> = {},
      ) =>
        tasks.insert({
          user_id: 1,
          assignee_id: null,
          title,
          description: "",
          status: "todo",
          priority: 2,
          due_on: null,
          created_at: now,
          updated_at: now,
          ...extra,
        });
      await add("100% done_right", { due_on: "2030-02-01" });
      await add("100 percent", { due_on: "2030-01-20", status: "doing", assignee_id: 2 });
      await add("no due date");
      await add("someone else's", { user_id: 3, created_at: now - 86_400_000 });
      const me = { userId: 1, viewAll: false };
      const titles = async (input: Record<string, unknown>, actor = me) =>
        (await tasks.list(actor, toTaskListQuery(input))).items.map((task) => task.title);
      // `%` and `_` typed by a user match themselves, not "anything".
      expect(await titles({ q: "100%" })).toEqual(["100% done_right"]);
      expect(await titles({ q: "e_r" })).toEqual(["100% done_right"]);
      expect(await titles({ sort: "due", order: "asc" })).toEqual([
        "100 percent",
        "100% done_right",
        "no due date",
      ]);
      expect(await titles({ sort: "due", order: "desc" })).toEqual([
        "100% done_right",
        "100 percent",
        "no due date",
      ]);
      expect(await titles({ status: "doing", assignee: 2 })).toEqual(["100 percent"]);
      expect(await titles({ due_after: "2030-01-25", due_before: "2030-12-31" })).toEqual([
        "100% done_right",
      ]);
      expect(await titles({ assignee: "none", sort: "title", order: "asc" })).toEqual([
        "100% done_right",
        "no due date",
      ]);
      expect((await tasks.list({ userId: 1, viewAll: true }, toTaskListQuery({}))).total).toBe(4);
      const between: string[] = [];
      for await (const task of tasks.streamCreatedBetween(
        { userId: 3, viewAll: false },
        now - 2 * 86_400_000,
        now,
      ))
        between.push(task.title);
      expect(between).toEqual(["someone else's"]);
      const column = await tasks.column(me, "todo", {}, 1);
      expect([column.items.length, column.total]).toEqual([1, 2]);
    });

    it("keeps comments, history, attachments and reports, and deletes a task with everything on it", async () => {
      const rows = new TaskRepository(databases.connection<FlowTables>("app"));
      const service = new TaskService({
        tasks: rows,
        people: new PeopleDirectory(databases.connection<AuthDatabase>("rbac")),
      });
      const actor = { userId: 7, viewAll: false };
      const task = await service.create(actor, {
        title: "Full",
        description: "",
        status: "todo",
        priority: "urgent",
        dueOn: "2030-03-03",
        assigneeId: null,
      });
      expect(task).toMatchObject({ priority: "urgent", dueOn: "2030-03-03", creatorId: 7 });
      await service.addComment(actor, task.id, "a comment");
      await service.setStatus(actor, task.id, "done");
      expect((await service.activity(actor, task.id)).map((entry) => entry.action)).toEqual([
        "status",
        "commented",
        "created",
      ]);
      const attachments = new AttachmentRepository(databases.connection<FlowTables>("app"));
      const file = await attachments.insert({
        task_id: task.id,
        user_id: 7,
        original_name: "a.png",
        content_type: "image/png",
        size_bytes: 12_000_000_000,
        storage_key: `attachments/${task.id}/abc`,
        preview_key: null,
        preview_state: "pending",
        created_at: Date.now(),
      });
      expect(file.sizeBytes).toBe(12_000_000_000);
      await service.delete(actor, task.id);
      expect(await rows.find(task.id)).toBeNull();
      expect(await attachments.find(file.id)).toBeNull();
      expect(await rows.comments(task.id)).toEqual([]);

      const reports = new ReportRepository(databases.connection<FlowTables>("app"));
      const report = await reports.create({ userId: 7, scope: "mine", from: "2030-01-01", to: "2030-01-31" });
      await reports.markReady(report.id, "reports/7/x.csv", 3);
      expect((await reports.listForUser(7, 1, 10)).items).toEqual([
        expect.objectContaining({ id: report.id, state: "ready", rowCount: 3, from: "2030-01-01" }),
      ]);
    });

    it("stores feedback in the business database", async () => {
      const feedback = new FeedbackRepository(databases.connection<BusinessTables>("business"));
      const stored = await feedback.add(
        { id: 7, email: "x@marg.test" },
        { rating: 5, body: "great", page: "/tasks" },
      );
      const rows = await databases
        .connection<BusinessTables>("business")
        .selectFrom("feedback")
        .selectAll()
        .execute();
      expect(rows.map((row) => [Number(row.id), row.rating, row.user_email])).toEqual([
        [stored.id, 5, "x@marg.test"],
      ]);
    });

    it("seeds demo tasks for the demo users once, however often it runs", async () => {
      await seedRbacDefaults(new RbacRepository(databases.connection<RbacTables>("rbac")));
      const users = new UserRepository(databases.connection<AuthDatabase>("rbac"), {
        hasher: new PasswordHasher({ params: ARGON2_INSECURE_TEST_PARAMS }),
      });
      for (const name of ["ada", "grace", "linus", "vera"]) {
        await users.create({
          email: `${name}@marg.localhost`,
          name,
          password: "correct horse battery staple",
        });
      }
      const entry = { seeder: demoTasksSeeder, source: "flow", config: installation.config, databases };
      const count = async () =>
        Number(
          (
            await db
              .selectFrom("tasks")
              .select((eb) => eb.fn.countAll().as("n"))
              .executeTakeFirstOrThrow()
          ).n,
        );
      const before = await count();
      await runSeeders([entry]);
      expect(await count()).toBe(before + DEMO_TASKS.length);
      await runSeeders([entry]);
      expect(await count()).toBe(before + DEMO_TASKS.length);
    });

    it("rolls flow's migrations back", async () => {
      const flowSteps = flowMigrations.reduce((sum, set) => sum + Object.keys(set.migrations).length, 0);
      const rolledBack = await migrator().rollback({ steps: flowSteps });
      expect(rolledBack.map((step) => step.source).every((source) => source.startsWith("flow"))).toBe(true);
      expect(await installation.tables()).not.toContain("tasks");
    });
  });
}
