import { requireAuth, validateForm } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import { todayIso } from "../../shared/format.js";
import { PERMISSIONS } from "../../shared/permissions.js";
import { actorOf, queryFields } from "../../shared/request-input.js";
import type { FlowRouteContext } from "../../shared/route-context.js";
import { taskListQuerySchema, toTaskListQuery } from "../list-query.js";
import { taskBoardView } from "../views/task-board-view.js";
import { taskListView } from "../views/task-list-view.js";

const FILTERS = ["status", "assignee", "due_before", "due_after", "q"] as const;

/** GET /tasks (filters, sorting, pages) and GET /tasks/board (a column per status). */
export function registerTaskListRoutes(app: FastifyInstance, ctx: FlowRouteContext): void {
  const { services, pages, guards } = ctx;
  const canView = [requireAuth, guards.requirePermission(PERMISSIONS.viewTasks)];

  app.get("/tasks", { preHandler: canView }, async (request, reply) => {
    const values = queryFields(request);
    const parsed = validateForm(taskListQuerySchema, values);
    const query = toTaskListQuery(parsed.ok ? parsed.data : {});
    const actor = await actorOf(request);
    const page = parsed.ok ? await services.tasks.list(actor, query) : null;
    const [people, assignable] = await Promise.all([
      services.people.byIds(
        page?.items.flatMap((task) => (task.assigneeId === null ? [] : [task.assigneeId])) ?? [],
      ),
      services.people.assignable(),
    ]);
    return pages.page(request, reply, {
      title: "Tasks",
      current: "/tasks",
      status: parsed.ok ? 200 : 422,
      body: taskListView({
        page,
        query,
        filtered: FILTERS.some((name) => (values[name] ?? "").trim() !== ""),
        values,
        errors: parsed.ok ? {} : parsed.fields,
        people,
        assignable,
        canCreate: await request.can(PERMISSIONS.createTasks),
        today: todayIso(),
      }),
    });
  });

  app.get("/tasks/board", { preHandler: canView }, async (request, reply) => {
    const values = queryFields(request);
    const parsed = validateForm(taskListQuerySchema.pick({ assignee: true }), values);
    const assignee = parsed.ok ? parsed.data.assignee : undefined;
    const actor = await actorOf(request);
    const columns = await services.tasks.board(actor, { assignee });
    const ids = columns.flatMap((col) =>
      col.items.flatMap((task) => (task.assigneeId === null ? [] : [task.assigneeId])),
    );
    const [people, assignable] = await Promise.all([
      services.people.byIds(ids),
      services.people.assignable(),
    ]);
    return pages.page(request, reply, {
      title: "Board",
      current: "/tasks/board",
      body: taskBoardView({
        columns,
        people,
        assignable,
        assignee: assignee === undefined ? "" : String(assignee),
        canCreate: await request.can(PERMISSIONS.createTasks),
        canMove: await request.can(PERMISSIONS.updateTasks),
        csrf: await request.session.csrfToken(),
        today: todayIso(),
      }),
    });
  });
}
