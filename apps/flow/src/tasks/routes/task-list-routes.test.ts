import type { TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FlowTestApp, startFlowTestApp } from "../../test-support/flow-test-app.js";
import { createTaskViaForm, fieldError } from "../../test-support/task-fixtures.js";

describe("flow task list and board pages", () => {
  let flow: FlowTestApp;
  let linus: TestClient;
  let grace: TestClient;
  let vera: TestClient;
  const XSS = "<script>alert(1)</script>";

  beforeAll(async () => {
    flow = await startFlowTestApp({ label: "flow-list" });
    [linus, grace, vera] = await Promise.all([
      flow.browser("linus"),
      flow.browser("grace"),
      flow.browser("vera"),
    ]);
    await createTaskViaForm(linus, {
      title: "Alpha report",
      status: "todo",
      priority: "high",
      dueOn: "2030-01-10",
      assigneeId: String(flow.userIds.linus),
    });
    await createTaskViaForm(linus, {
      title: "Bravo cleanup",
      status: "doing",
      priority: "low",
      dueOn: "2030-03-01",
    });
    await createTaskViaForm(linus, {
      title: XSS,
      status: "done",
      priority: "urgent",
      description: `desc ${XSS}`,
    });
    await createTaskViaForm(grace, { title: "Grace private plan", status: "todo" });
    await createTaskViaForm(grace, {
      title: "Charlie for Vera",
      status: "doing",
      assigneeId: String(flow.userIds.vera),
    });
  });

  afterAll(async () => {
    await flow?.close();
  });

  it("sends a signed-out visitor to sign in and back", async () => {
    const response = await (await flow.browser(null)).get("/tasks?status=todo");
    expect([302, 303]).toContain(response.status);
    expect(response.location).toBe(`/login?next=${encodeURIComponent("/tasks?status=todo")}`);
  });

  it("answers 403 in the shared look to a user without tasks.view, and the API answers JSON", async () => {
    const nora = await flow.browser("nora");
    const page = await nora.get("/tasks");
    expect(page.status).toBe(403);
    expect(page.body).toContain('class="error-page"');
    expect(page.body).toContain("tasks.view");
    const board = await nora.get("/tasks/board");
    expect(board.status).toBe(403);
  });

  it("ships its own stylesheet, linked from its pages", async () => {
    const page = await linus.get("/tasks");
    expect(page.body).toContain('<link rel="stylesheet" href="/assets/flow.css">');
    const css = await linus.get("/assets/flow.css");
    expect(css.status).toBe(200);
    expect(css.headers["content-type"]).toBe("text/css; charset=utf-8");
    expect(css.body).toContain(".task-meta");
  });

  it("sends the start page to the task list", async () => {
    const response = await linus.get("/");
    expect(response.status).toBe(303);
    expect(response.location).toBe("/tasks");
  });

  it("lists only the tasks a member created or is assigned, newest first", async () => {
    const page = await linus.get("/tasks");
    expect(page.status).toBe(200);
    expect(page.body).toContain("Alpha report");
    expect(page.body).toContain("Bravo cleanup");
    expect(page.body).not.toContain("Grace private plan");
    expect(page.body).not.toContain("Charlie for Vera");
    expect(page.body.indexOf("&lt;script&gt;")).toBeLessThan(page.body.indexOf("Alpha report"));
  });

  it("lists every task for an admin (tasks.view-all through tasks.*)", async () => {
    const page = await grace.get("/tasks");
    for (const title of ["Alpha report", "Bravo cleanup", "Grace private plan", "Charlie for Vera"]) {
      expect(page.body).toContain(title);
    }
  });

  it("shows a task titled <script>alert(1)</script> as text in the list, the board and its page", async () => {
    const list = await linus.get("/tasks");
    const board = await linus.get("/tasks/board");
    for (const body of [list.body, board.body]) {
      expect(body).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(body).not.toContain(XSS);
    }
    const id = /href="\/tasks\/(\d+)">&lt;script&gt;/.exec(list.body)?.[1];
    const detail = await linus.get(`/tasks/${id}`);
    expect(detail.status).toBe(200);
    expect(detail.body).toContain("<h1>&lt;script&gt;alert(1)&lt;/script&gt;</h1>");
    expect(detail.body).toContain("desc &lt;script&gt;");
    expect(detail.body).not.toContain(XSS);
  });

  it("filters by status, assignee, due dates and search text", async () => {
    const byStatus = await linus.get("/tasks?status=doing");
    expect(byStatus.body).toContain("Bravo cleanup");
    expect(byStatus.body).not.toContain("Alpha report");

    const mine = await linus.get("/tasks?assignee=me");
    expect(mine.body).toContain("Alpha report");
    expect(mine.body).not.toContain("Bravo cleanup");

    const nobody = await linus.get("/tasks?assignee=none");
    expect(nobody.body).toContain("Bravo cleanup");
    expect(nobody.body).not.toContain("Alpha report");

    const due = await linus.get("/tasks?due_after=2030-02-01&due_before=2030-12-31");
    expect(due.body).toContain("Bravo cleanup");
    expect(due.body).not.toContain("Alpha report");

    const search = await linus.get("/tasks?q=CLEAN");
    expect(search.body).toContain("Bravo cleanup");
    expect(search.body).not.toContain("Alpha report");
    expect(search.body).toContain('value="CLEAN"');
  });

  it("sorts by title, priority and due date, both ways", async () => {
    const order = (body: string) =>
      ["Alpha report", "Bravo cleanup", "&lt;script&gt;"]
        .map((title) => body.indexOf(title))
        .map((i) => i >= 0);
    const byTitle = (await linus.get("/tasks?sort=title&order=asc")).body;
    expect(byTitle.indexOf("&lt;script&gt;")).toBeLessThan(byTitle.indexOf("Alpha report"));
    expect(byTitle.indexOf("Alpha report")).toBeLessThan(byTitle.indexOf("Bravo cleanup"));
    const byPriority = (await linus.get("/tasks?sort=priority&order=desc")).body;
    expect(byPriority.indexOf("&lt;script&gt;")).toBeLessThan(byPriority.indexOf("Alpha report"));
    expect(byPriority.indexOf("Alpha report")).toBeLessThan(byPriority.indexOf("Bravo cleanup"));
    const byDue = (await linus.get("/tasks?sort=due&order=desc")).body;
    // Tasks without a due date come last whichever way the dates run.
    expect(byDue.indexOf("Bravo cleanup")).toBeLessThan(byDue.indexOf("Alpha report"));
    expect(byDue.indexOf("Alpha report")).toBeLessThan(byDue.indexOf("&lt;script&gt;"));
    expect(order(byDue)).toEqual([true, true, true]);
    expect(byTitle).toContain('aria-sort="ascending"');
  });

  it("paginates, keeping filters and sorting in the page links", async () => {
    const first = await linus.get("/tasks?per_page=2&sort=title&order=asc");
    expect(first.body).toContain("Page 1 of 2");
    expect(first.body).toContain('href="/tasks?sort=title&amp;order=asc&amp;page=2&amp;per_page=2"');
    const second = await linus.get("/tasks?sort=title&order=asc&page=2&per_page=2");
    expect(second.body).toContain("Bravo cleanup");
    expect(second.body).not.toContain("Alpha report");
    expect(second.body).toContain('rel="prev"');
  });

  it("shows an empty state that says what to do, with and without filters", async () => {
    const filtered = await linus.get("/tasks?q=nothing-matches-this");
    expect(filtered.body).toContain("No tasks match these filters.");
    const nobodysTasks = await vera.get("/tasks?assignee=none");
    expect(nobodysTasks.body).toContain('class="empty"');
  });

  it("explains invalid filters next to the field and keeps what was typed (422)", async () => {
    const page = await linus.get("/tasks?status=later&due_before=2030-02-31&q=keep%20me");
    expect(page.status).toBe(422);
    expect(fieldError(page.body, "status")).toBe("Choose To do, Doing or Done.");
    expect(fieldError(page.body, "due_before")).toBe("That day does not exist.");
    expect(page.body).toContain('value="keep me"');
    expect(page.body).toContain("Fix the filters above to see tasks.");
  });

  it("hides New task and the move buttons from a viewer, who sees tasks assigned to them", async () => {
    const list = await vera.get("/tasks");
    expect(list.status).toBe(200);
    expect(list.body).toContain("Charlie for Vera");
    expect(list.body).not.toContain('href="/tasks/new"');
    const board = await vera.get("/tasks/board");
    expect(board.body).toContain("Charlie for Vera");
    expect(board.body).not.toContain("/status");
    expect((await vera.get("/tasks/new")).status).toBe(403);
  });

  it("shows the board with a column per status and a move form on each card", async () => {
    const board = await linus.get("/tasks/board");
    expect(board.status).toBe(200);
    for (const heading of ["To do", "Doing", "Done"])
      expect(board.body).toContain(`${heading} <span class="badge">`);
    const alpha = /<article class="board-card" id="task-(\d+)" aria-label="Alpha report">/.exec(
      board.body,
    )?.[1];
    expect(alpha).toBeDefined();
    expect(board.body).toContain(`action="/tasks/${alpha}/status"`);
  });

  it("moves a card to another column, records it in the history and returns to the board", async () => {
    const board = await linus.get("/tasks/board");
    const alpha = /id="task-(\d+)" aria-label="Alpha report"/.exec(board.body)?.[1];
    const moved = await linus.submit("/tasks/board", `/tasks/${alpha}/status`, {
      status: "doing",
      back: "board",
    });
    expect(moved.status).toBe(303);
    expect(moved.location).toBe(`/tasks/board#task-${alpha}`);
    const after = await linus.get("/tasks/board");
    expect(after.body).toContain("Moved “Alpha report” to Doing.");
    const doingColumn = after.body.slice(
      after.body.indexOf('id="column-doing"'),
      after.body.indexOf('id="column-done"'),
    );
    expect(doingColumn).toContain("Alpha report");
    const detail = await linus.get(`/tasks/${alpha}`);
    expect(detail.body).toMatch(/moved it from <strong>To do<\/strong> to <strong>Doing<\/strong>/);
  });

  it("refuses a move to a status that does not exist (422) and a move by a viewer (403)", async () => {
    const board = await linus.get("/tasks/board");
    const bravo = /id="task-(\d+)" aria-label="Bravo cleanup"/.exec(board.body)?.[1];
    const bad = await linus.submit("/tasks/board", `/tasks/${bravo}/status`, { status: "someday" });
    expect(bad.status).toBe(422);
    const charlie = /id="task-(\d+)" aria-label="Charlie for Vera"/.exec(
      (await grace.get("/tasks/board")).body,
    )?.[1];
    const token = /name="_csrf" value="([^"]*)"/.exec((await vera.get("/tasks/board")).body)?.[1] ?? "";
    const forbidden = await vera.post(`/tasks/${charlie}/status`, { _csrf: token, status: "done" });
    expect(forbidden.status).toBe(403);
  });

  it("filters the board by assignee", async () => {
    const board = await grace.get(`/tasks/board?assignee=${flow.userIds.vera}`);
    expect(board.body).toContain("Charlie for Vera");
    expect(board.body).not.toContain("Grace private plan");
  });
});
