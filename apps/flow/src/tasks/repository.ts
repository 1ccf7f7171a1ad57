import { type ExpressionBuilder, type Insertable, type Kysely, type SelectQueryBuilder, sql } from "kysely";
import type { FlowTables } from "../flow-tables.js";
import { insertedId, likeContains, pageCount } from "../shared/sql-helpers.js";
import type { TaskListQuery } from "./list-query.js";
import { toActivity, toComment, toTask } from "./rows.js";
import type { TasksTable } from "./tables.js";
import type {
  ActivityAction,
  Page,
  Task,
  TaskActivity,
  TaskActor,
  TaskComment,
  TaskStatus,
} from "./types.js";

type TaskQuery = SelectQueryBuilder<FlowTables, "tasks", object>;

/** Only the tasks `actor` may see: all of them with view-all, else those they created or are assigned. */
/** Rows mysql2 buffers per round of a streamed read (better-sqlite3 reads one at a time anyway). */
const STREAM_CHUNK_ROWS = 1_000;

function visibleTo(query: TaskQuery, actor: TaskActor): TaskQuery {
  if (actor.viewAll) return query;
  return query.where((eb: ExpressionBuilder<FlowTables, "tasks">) =>
    eb.or([eb("user_id", "=", actor.userId), eb("assignee_id", "=", actor.userId)]),
  );
}

function filtered(query: TaskQuery, actor: TaskActor, filters: Partial<TaskListQuery>): TaskQuery {
  let q = visibleTo(query, actor);
  if (filters.status) q = q.where("status", "=", filters.status);
  if (filters.assignee === "me") q = q.where("assignee_id", "=", actor.userId);
  else if (filters.assignee === "none") q = q.where("assignee_id", "is", null);
  else if (typeof filters.assignee === "number") q = q.where("assignee_id", "=", filters.assignee);
  if (filters.dueBefore) q = q.where("due_on", "<=", filters.dueBefore);
  if (filters.dueAfter) q = q.where("due_on", ">=", filters.dueAfter);
  if (filters.search) {
    const pattern = likeContains(filters.search);
    q = q.where((eb) =>
      eb.or([
        sql<boolean>`lower(${eb.ref("title")}) like ${pattern} escape '!'`,
        sql<boolean>`lower(${eb.ref("description")}) like ${pattern} escape '!'`,
      ]),
    );
  }
  return q;
}

function sorted<O>(query: SelectQueryBuilder<FlowTables, "tasks", O>, list: TaskListQuery) {
  const { order } = list;
  switch (list.sort) {
    case "due":
      // Tasks without a due date go last whichever way the dates run.
      return query
        .orderBy(sql`case when due_on is null then 1 else 0 end`)
        .orderBy("due_on", order)
        .orderBy("id", "desc");
    case "priority":
      return query.orderBy("priority", order).orderBy("id", "desc");
    case "title":
      return query.orderBy("title", order).orderBy("id", "desc");
    case "updated":
      return query.orderBy("updated_at", order).orderBy("id", order);
    default:
      return query.orderBy("created_at", order).orderBy("id", order);
  }
}

/**
 * SQL for tasks, their comments and their history, on flow's own database.
 * Every read that lists tasks takes the actor, so visibility is decided in one
 * place (`visibleTo`) and a query can never forget it.
 */
export class TaskRepository {
  constructor(readonly db: Kysely<FlowTables>) {}

  /** The same repository inside a transaction. */
  transaction<T>(fn: (repository: TaskRepository) => Promise<T>): Promise<T> {
    return this.db.transaction().execute((trx) => fn(new TaskRepository(trx)));
  }

  async list(actor: TaskActor, query: TaskListQuery): Promise<Page<Task>> {
    const base = filtered(this.db.selectFrom("tasks"), actor, query);
    const counted = await base.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const total = Number(counted.total);
    const rows = await sorted(base.selectAll(), query)
      .limit(query.perPage)
      .offset((query.page - 1) * query.perPage)
      .execute();
    return {
      items: rows.map(toTask),
      total,
      page: query.page,
      perPage: query.perPage,
      pages: pageCount(total, query.perPage),
    };
  }

  /** One board column: the column's newest tasks (by last change) and how many it holds. */
  async column(
    actor: TaskActor,
    status: TaskStatus,
    filters: Partial<TaskListQuery>,
    limit: number,
  ): Promise<{ items: Task[]; total: number }> {
    const base = filtered(this.db.selectFrom("tasks"), actor, { ...filters, status });
    const counted = await base.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirstOrThrow();
    const rows = await base
      .selectAll()
      .orderBy("priority", "desc")
      .orderBy("updated_at", "desc")
      .orderBy("id", "desc")
      .limit(limit)
      .execute();
    return { items: rows.map(toTask), total: Number(counted.total) };
  }

  /** Tasks created in [from, to) that `actor` may see, oldest first (for reports). */
  /**
   * Every task created in [from, to) that the actor may see, oldest first, read as the
   * caller consumes it (a cursor: mysql2's row stream, better-sqlite3's iterator), so an
   * export of any size holds one chunk of rows at a time, never the whole result.
   */
  async *streamCreatedBetween(actor: TaskActor, from: number, to: number): AsyncGenerator<Task> {
    const rows = visibleTo(this.db.selectFrom("tasks"), actor)
      .where("created_at", ">=", from)
      .where("created_at", "<", to)
      .selectAll()
      .orderBy("created_at", "asc")
      .orderBy("id", "asc")
      .stream(STREAM_CHUNK_ROWS);
    for await (const row of rows) yield toTask(row);
  }

  async find(id: number): Promise<Task | null> {
    const row = await this.db.selectFrom("tasks").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : toTask(row);
  }

  async insert(row: Insertable<TasksTable>): Promise<number> {
    return insertedId(await this.db.insertInto("tasks").values(row).executeTakeFirst());
  }

  async update(id: number, changes: Partial<Omit<TasksTable, "id">>): Promise<void> {
    await this.db.updateTable("tasks").set(changes).where("id", "=", id).execute();
  }

  /** Deletes the task and everything hanging off it (also where foreign keys are not enforced). */
  async delete(id: number): Promise<void> {
    await this.db.deleteFrom("task_attachments").where("task_id", "=", id).execute();
    await this.db.deleteFrom("task_comments").where("task_id", "=", id).execute();
    await this.db.deleteFrom("task_activity").where("task_id", "=", id).execute();
    await this.db.deleteFrom("tasks").where("id", "=", id).execute();
  }

  async comments(taskId: number): Promise<TaskComment[]> {
    const rows = await this.db
      .selectFrom("task_comments")
      .selectAll()
      .where("task_id", "=", taskId)
      .orderBy("created_at", "asc")
      .orderBy("id", "asc")
      .execute();
    return rows.map(toComment);
  }

  async insertComment(taskId: number, userId: number, body: string, now: number): Promise<TaskComment> {
    const id = insertedId(
      await this.db
        .insertInto("task_comments")
        .values({ task_id: taskId, user_id: userId, body, created_at: now })
        .executeTakeFirst(),
    );
    return { id, taskId, userId, body, createdAt: now };
  }

  /** Newest first. */
  async activity(taskId: number, limit = 200): Promise<TaskActivity[]> {
    const rows = await this.db
      .selectFrom("task_activity")
      .selectAll()
      .where("task_id", "=", taskId)
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(limit)
      .execute();
    return rows.map(toActivity);
  }

  async record(
    taskId: number,
    userId: number,
    action: ActivityAction,
    details: Record<string, unknown>,
    now: number,
  ): Promise<void> {
    await this.db
      .insertInto("task_activity")
      .values({ task_id: taskId, user_id: userId, action, details: JSON.stringify(details), created_at: now })
      .execute();
  }
}
