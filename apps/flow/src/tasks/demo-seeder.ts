import type { AuthDatabase } from "@marg/core/auth";
import type { Seeder } from "@marg/core/db";
import type { FlowTables } from "../flow-tables.js";
import { TaskRepository } from "./repository.js";
import { priorityToNumber, type TaskPriority, type TaskStatus } from "./types.js";

const DAY_MS = 86_400_000;

interface DemoTask {
  readonly title: string;
  readonly description: string;
  readonly status: TaskStatus;
  readonly priority: TaskPriority;
  /** Days from today; null for no due date. */
  readonly dueInDays: number | null;
  readonly creator: string;
  readonly assignee: string | null;
  readonly ageDays: number;
  readonly comments?: readonly { readonly by: string; readonly body: string }[];
}

const GRACE = "grace@marg.localhost";
const LINUS = "linus@marg.localhost";
const VERA = "vera@marg.localhost";
const ADA = "ada@marg.localhost";

/** A small, believable board: every column filled, some work for each demo user. */
export const DEMO_TASKS: readonly DemoTask[] = [
  {
    title: "Write the onboarding guide",
    description: "Cover sign-in, the app switcher and the board.\n\nKeep it to one page.",
    status: "doing",
    priority: "high",
    dueInDays: 3,
    creator: GRACE,
    assignee: LINUS,
    ageDays: 6,
    comments: [
      { by: GRACE, body: "A first draft by Friday would be great." },
      { by: LINUS, body: "On it — screenshots next." },
    ],
  },
  {
    title: "Rotate the APP_KEY on staging",
    description: "Add the old key to APP_PREVIOUS_KEYS first so sessions survive.",
    status: "todo",
    priority: "urgent",
    dueInDays: 1,
    creator: ADA,
    assignee: GRACE,
    ageDays: 2,
  },
  {
    title: "Review the quarterly report",
    description: "",
    status: "todo",
    priority: "normal",
    dueInDays: 10,
    creator: GRACE,
    assignee: VERA,
    ageDays: 4,
  },
  {
    title: "Fix the broken link on the links dashboard",
    description: "The statistics link 404s for links created before the migration.",
    status: "doing",
    priority: "normal",
    dueInDays: -1,
    creator: LINUS,
    assignee: LINUS,
    ageDays: 8,
  },
  {
    title: "Order new badges for the office",
    description: "",
    status: "done",
    priority: "low",
    dueInDays: -5,
    creator: GRACE,
    assignee: null,
    ageDays: 15,
  },
  {
    title: "Plan the Redis Sentinel drill",
    description: "Stop the primary during office hours and watch the apps fail over.",
    status: "todo",
    priority: "high",
    dueInDays: 14,
    creator: GRACE,
    assignee: GRACE,
    ageDays: 1,
  },
  {
    title: "Tidy up old feedback",
    description: "",
    status: "done",
    priority: "low",
    dueInDays: null,
    creator: LINUS,
    assignee: LINUS,
    ageDays: 20,
  },
  {
    title: "Draft the release notes",
    description: "Tasks board, attachments with previews, CSV export.",
    status: "todo",
    priority: "normal",
    dueInDays: 7,
    creator: LINUS,
    assignee: null,
    ageDays: 3,
  },
  {
    title: "Check backups restore cleanly",
    description: "Restore last night's klueportal dump into a scratch database.",
    status: "doing",
    priority: "high",
    dueInDays: 2,
    creator: ADA,
    assignee: LINUS,
    ageDays: 5,
  },
  {
    title: "Welcome the new team members",
    description: "",
    status: "done",
    priority: "normal",
    dueInDays: -2,
    creator: GRACE,
    assignee: VERA,
    ageDays: 10,
  },
];

/**
 * Demo tasks for the demo users (created by core's seeder), so `npm start`
 * shows a real board. Idempotent: a task is identified by its creator and
 * title, and is added (with its history and comments) only when missing.
 */
export const demoTasksSeeder: Seeder = {
  name: "flow:demo-tasks",
  demo: true,
  async run(ctx) {
    if (ctx.config.app.production) {
      ctx.log("skipped: demo tasks are never created with APP_ENV=production");
      return;
    }
    const users = await ctx
      .db<AuthDatabase>("rbac")
      .selectFrom("users")
      .select(["id", "email_normalized"])
      .where("email_normalized", "in", [GRACE, LINUS, VERA, ADA])
      .execute();
    const ids = new Map(users.map((user) => [user.email_normalized, Number(user.id)]));
    const db = ctx.db<FlowTables>("app");
    const now = Date.now();
    let added = 0;
    for (const demo of DEMO_TASKS) {
      const creator = ids.get(demo.creator);
      if (creator === undefined) continue;
      const exists = await db
        .selectFrom("tasks")
        .select("id")
        .where("user_id", "=", creator)
        .where("title", "=", demo.title)
        .executeTakeFirst();
      if (exists !== undefined) continue;
      const createdAt = now - demo.ageDays * DAY_MS;
      await new TaskRepository(db).transaction(async (tasks) => {
        const id = await tasks.insert({
          user_id: creator,
          assignee_id: demo.assignee === null ? null : (ids.get(demo.assignee) ?? null),
          title: demo.title,
          description: demo.description,
          status: demo.status,
          priority: priorityToNumber(demo.priority),
          due_on:
            demo.dueInDays === null
              ? null
              : new Date(now + demo.dueInDays * DAY_MS).toISOString().slice(0, 10),
          created_at: createdAt,
          updated_at: createdAt,
        });
        await tasks.record(id, creator, "created", { title: demo.title }, createdAt);
        for (const [index, comment] of (demo.comments ?? []).entries()) {
          const by = ids.get(comment.by);
          if (by === undefined) continue;
          const at = createdAt + (index + 1) * 3_600_000;
          const stored = await tasks.insertComment(id, by, comment.body, at);
          await tasks.record(id, by, "commented", { comment: stored.id }, at);
        }
      });
      added += 1;
    }
    ctx.log(added > 0 ? `${added} demo tasks added` : "demo tasks already present");
  },
};
