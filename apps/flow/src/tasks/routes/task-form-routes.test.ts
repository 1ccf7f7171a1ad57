import type { TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FlowTestApp, startFlowTestApp } from "../../test-support/flow-test-app.js";
import { createTaskViaForm, fieldError, fieldValue } from "../../test-support/task-fixtures.js";

describe("flow task forms, detail page, comments and deletion", () => {
  let flow: FlowTestApp;
  let linus: TestClient;
  let grace: TestClient;
  let vera: TestClient;

  beforeAll(async () => {
    flow = await startFlowTestApp({ label: "flow-forms" });
    [linus, grace, vera] = await Promise.all([
      flow.browser("linus"),
      flow.browser("grace"),
      flow.browser("vera"),
    ]);
  });

  afterAll(async () => {
    await flow?.close();
  });

  it("shows the new-task form with labelled fields and the assignable people", async () => {
    const page = await linus.get("/tasks/new");
    expect(page.status).toBe(200);
    for (const name of ["title", "description", "status", "priority", "dueOn", "assigneeId"]) {
      expect(page.body).toContain(`<label for="f-${name}">`);
    }
    expect(page.body).toContain("Grace Hopper (grace@marg.localhost)");
  });

  it("creates a task, says so, and records it in the history", async () => {
    const id = await createTaskViaForm(linus, {
      title: "Ship the board",
      description: "Line one\nLine two",
      priority: "high",
      dueOn: "2030-05-01",
      assigneeId: String(flow.userIds.grace),
    });
    const page = await linus.get(`/tasks/${id}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("Task created.");
    expect(page.body).toContain("<h1>Ship the board</h1>");
    expect(page.body).toContain("Line one<br>Line two");
    expect(page.body).toContain("Grace Hopper");
    expect(page.body).toContain("1 May 2030");
    expect(page.body).toMatch(/Linus Member<\/strong> created the task/);
  });

  it("re-renders the form with each message beside its field and keeps what was typed (422)", async () => {
    const response = await linus.submit("/tasks/new", "/tasks", {
      title: "   ",
      description: "Keep <this> text",
      status: "later",
      priority: "high",
      dueOn: "2030-02-30",
      assigneeId: "99999",
    });
    expect(response.status).toBe(422);
    expect(fieldError(response.body, "title")).toBe("Give the task a title.");
    expect(fieldError(response.body, "status")).toBe("Choose To do, Doing or Done.");
    expect(fieldError(response.body, "dueOn")).toBe("That day does not exist.");
    expect(fieldValue(response.body, "description")).toBe("Keep &lt;this&gt; text");
    expect(fieldValue(response.body, "dueOn")).toBe("2030-02-30");
    expect(response.body).toContain('aria-invalid="true"');
    expect(response.body).toMatch(/<option value="high" selected>/);
  });

  it("refuses an assignee who is not an active user, keeping the rest", async () => {
    const response = await linus.submit("/tasks/new", "/tasks", {
      title: "Valid title",
      status: "todo",
      priority: "normal",
      dueOn: "",
      assigneeId: "99999",
    });
    expect(response.status).toBe(422);
    expect(fieldError(response.body, "assigneeId")).toBe("Choose someone from the list, or nobody.");
    expect(fieldValue(response.body, "title")).toBe("Valid title");
  });

  it("refuses a form without the CSRF token", async () => {
    const response = await linus.post("/tasks", { title: "No token" });
    expect(response.status).toBe(403);
  });

  it("edits a task, recording what changed, and re-renders an invalid edit with its values", async () => {
    const id = await createTaskViaForm(linus, { title: "Edit me", priority: "low" });
    const form = await linus.get(`/tasks/${id}/edit`);
    expect(form.status).toBe(200);
    expect(fieldValue(form.body, "title")).toBe("Edit me");
    const saved = await linus.submit(`/tasks/${id}/edit`, `/tasks/${id}`, {
      title: "Edited",
      description: "",
      status: "doing",
      priority: "urgent",
      dueOn: "",
      assigneeId: "",
    });
    expect(saved.status).toBe(303);
    const page = await linus.get(`/tasks/${id}`);
    expect(page.body).toContain("Changes saved.");
    expect(page.body).toContain("<h1>Edited</h1>");
    expect(page.body).toContain("title: Edit me → <strong>Edited</strong>");
    expect(page.body).toContain("priority: Low → <strong>Urgent</strong>");
    const invalid = await linus.submit(`/tasks/${id}/edit`, `/tasks/${id}`, {
      title: "",
      description: "still here",
      status: "doing",
      priority: "urgent",
    });
    expect(invalid.status).toBe(422);
    expect(fieldValue(invalid.body, "description")).toBe("still here");
    expect(invalid.body).toContain(`action="/tasks/${id}"`);
  });

  it("answers 404 for a task the member may not see, for ids that are not numbers, and for deleted ones", async () => {
    const graces = await createTaskViaForm(grace, { title: "Only for admins" });
    expect((await linus.get(`/tasks/${graces}`)).status).toBe(404);
    expect((await linus.get(`/tasks/${graces}/edit`)).status).toBe(404);
    const notANumber = await linus.get("/tasks/abc");
    expect(notANumber.status).toBe(404);
    expect(notANumber.body).toContain('class="error-page"');
    expect((await linus.get("/tasks/999999")).status).toBe(404);
  });

  it("adds comments, and re-renders the page with the message when the comment is empty", async () => {
    const id = await createTaskViaForm(linus, { title: "Discuss me" });
    const added = await linus.submit(`/tasks/${id}`, `/tasks/${id}/comments`, {
      body: "First <b>thought</b>",
    });
    expect(added.status).toBe(303);
    const page = await linus.get(`/tasks/${id}`);
    expect(page.body).toContain("First &lt;b&gt;thought&lt;/b&gt;");
    expect(page.body).toMatch(/Linus Member<\/strong> commented/);
    const empty = await linus.submit(`/tasks/${id}`, `/tasks/${id}/comments`, { body: "   " });
    expect(empty.status).toBe(422);
    expect(fieldError(empty.body, "body")).toBe("Write a comment first.");
  });

  it("shows a viewer the task without edit, delete, comment or upload controls", async () => {
    const id = await createTaskViaForm(grace, {
      title: "For Vera to read",
      assigneeId: String(flow.userIds.vera),
    });
    const page = await vera.get(`/tasks/${id}`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(`href="/tasks/${id}/edit"`);
    expect(page.body).not.toContain(`href="/tasks/${id}/delete"`);
    expect(page.body).not.toContain(`action="/tasks/${id}/comments"`);
    expect(page.body).not.toContain('enctype="multipart/form-data"');
    expect((await vera.get(`/tasks/${id}/edit`)).status).toBe(403);
  });

  it("hides Delete from a member and refuses their delete (403)", async () => {
    const id = await createTaskViaForm(linus, { title: "Members cannot delete" });
    const page = await linus.get(`/tasks/${id}`);
    expect(page.body).not.toContain(`href="/tasks/${id}/delete"`);
    expect((await linus.get(`/tasks/${id}/delete`)).status).toBe(403);
  });

  it("deletes a task after a confirmation page, then answers 404 for it", async () => {
    const id = await createTaskViaForm(linus, { title: "Doomed task" });
    await linus.submit(`/tasks/${id}`, `/tasks/${id}/comments`, { body: "bye" });
    const confirm = await grace.get(`/tasks/${id}/delete`);
    expect(confirm.status).toBe(200);
    expect(confirm.body).toContain("Delete this task?");
    expect(confirm.body).toContain("Its 1 comment");
    const deleted = await grace.submit(`/tasks/${id}/delete`, `/tasks/${id}/delete`, {});
    expect(deleted.status).toBe(303);
    expect(deleted.location).toBe("/tasks");
    expect((await grace.get("/tasks")).body).toContain("Deleted “Doomed task”.");
    expect((await grace.get(`/tasks/${id}`)).status).toBe(404);
  });
});
