import { validationError } from "@marg/core/web";
import { taskNotFound } from "../errors.js";
import type { PeopleDirectory } from "../people/repository.js";
import type { TaskListQuery } from "./list-query.js";
import type { TaskRepository } from "./repository.js";
import type { TaskInput, TaskPatch } from "./schema.js";
import {
  type Page,
  priorityToNumber,
  TASK_STATUSES,
  type Task,
  type TaskActivity,
  type TaskActor,
  type TaskComment,
  type TaskStatus,
} from "./types.js";

/** The fields whose changes the history records, with how each is read from a task. */
const TRACKED = ["title", "description", "status", "priority", "dueOn", "assigneeId"] as const;

export interface BoardColumn {
  readonly status: TaskStatus;
  readonly items: readonly Task[];
  readonly total: number;
}

/**
 * What flow does with tasks. Visibility: a user sees a task they created or are
 * assigned to; `tasks.view-all` (granted to admins through `tasks.*`, and to
 * super-admins) sees every task. A task the actor may not see is reported as
 * not found, so ids of other people's tasks reveal nothing. Whether the actor
 * may create/update/delete at all is RBAC's call, made by the route guards.
 */
export class TaskService {
  readonly #tasks: TaskRepository;
  readonly #people: PeopleDirectory;
  readonly #now: () => number;

  constructor(deps: { tasks: TaskRepository; people: PeopleDirectory; clock?: () => number }) {
    this.#tasks = deps.tasks;
    this.#people = deps.people;
    this.#now = deps.clock ?? Date.now;
  }

  static canSee(actor: TaskActor, task: Task): boolean {
    return actor.viewAll || task.creatorId === actor.userId || task.assigneeId === actor.userId;
  }

  list(actor: TaskActor, query: TaskListQuery): Promise<Page<Task>> {
    return this.#tasks.list(actor, query);
  }

  /** The board: one column per status, each with its first `perColumn` tasks. */
  async board(actor: TaskActor, filters: Partial<TaskListQuery>, perColumn = 50): Promise<BoardColumn[]> {
    return Promise.all(
      TASK_STATUSES.map(async (status) => ({
        status,
        ...(await this.#tasks.column(actor, status, filters, perColumn)),
      })),
    );
  }

  /** The task, if the actor may see it; E_TASK_NOT_FOUND otherwise. */
  async get(actor: TaskActor, id: number): Promise<Task> {
    const task = await this.#tasks.find(id);
    if (task === null || !TaskService.canSee(actor, task)) throw taskNotFound(id);
    return task;
  }

  async create(actor: TaskActor, input: TaskInput): Promise<Task> {
    await this.#assertAssignable(input.assigneeId);
    const now = this.#now();
    const id = await this.#tasks.transaction(async (tasks) => {
      const created = await tasks.insert({
        user_id: actor.userId,
        assignee_id: input.assigneeId,
        title: input.title,
        description: input.description,
        status: input.status,
        priority: priorityToNumber(input.priority),
        due_on: input.dueOn,
        created_at: now,
        updated_at: now,
      });
      await tasks.record(created, actor.userId, "created", { title: input.title }, now);
      return created;
    });
    return this.get(actor, id);
  }

  /** Applies the fields present in `patch`; records what really changed. */
  async update(actor: TaskActor, id: number, patch: TaskPatch): Promise<Task> {
    const task = await this.get(actor, id);
    if (patch.assigneeId !== undefined && patch.assigneeId !== task.assigneeId) {
      await this.#assertAssignable(patch.assigneeId);
    }
    const changes: Record<string, [unknown, unknown]> = {};
    for (const field of TRACKED) {
      const next = patch[field];
      if (next !== undefined && next !== task[field]) changes[field] = [task[field], next];
    }
    if (Object.keys(changes).length === 0) return task;
    const now = this.#now();
    await this.#tasks.transaction(async (tasks) => {
      await tasks.update(id, {
        ...(patch.title !== undefined && { title: patch.title }),
        ...(patch.description !== undefined && { description: patch.description }),
        ...(patch.status !== undefined && { status: patch.status }),
        ...(patch.priority !== undefined && { priority: priorityToNumber(patch.priority) }),
        ...(patch.dueOn !== undefined && { due_on: patch.dueOn }),
        ...(patch.assigneeId !== undefined && { assignee_id: patch.assigneeId }),
        updated_at: now,
      });
      const onlyStatus = Object.keys(changes).length === 1 && "status" in changes;
      await tasks.record(id, actor.userId, onlyStatus ? "status" : "updated", changes, now);
    });
    return this.get(actor, id);
  }

  /** Moves a task to another column (the board's "move" form). */
  setStatus(actor: TaskActor, id: number, status: TaskStatus): Promise<Task> {
    return this.update(actor, id, { status });
  }

  async delete(actor: TaskActor, id: number): Promise<Task> {
    const task = await this.get(actor, id);
    await this.#tasks.transaction((tasks) => tasks.delete(id));
    return task;
  }

  async comments(actor: TaskActor, id: number): Promise<TaskComment[]> {
    await this.get(actor, id);
    return this.#tasks.comments(id);
  }

  async addComment(actor: TaskActor, id: number, body: string): Promise<TaskComment> {
    await this.get(actor, id);
    const now = this.#now();
    return this.#tasks.transaction(async (tasks) => {
      const comment = await tasks.insertComment(id, actor.userId, body, now);
      await tasks.update(id, { updated_at: now });
      await tasks.record(id, actor.userId, "commented", { comment: comment.id }, now);
      return comment;
    });
  }

  async activity(actor: TaskActor, id: number): Promise<TaskActivity[]> {
    await this.get(actor, id);
    return this.#tasks.activity(id);
  }

  async #assertAssignable(assigneeId: number | null): Promise<void> {
    if (assigneeId !== null && !(await this.#people.isAssignable(assigneeId))) {
      throw validationError({ assigneeId: "Choose someone from the list, or nobody." });
    }
  }
}
