import type { TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../test-support/api-client.js";
import { type FlowTestApp, startFlowTestApp } from "../../test-support/flow-test-app.js";

interface TaskJson {
  id: number;
  title: string;
  status: string;
  priority: string;
  dueOn: string | null;
  assigneeId: number | null;
  creatorId: number;
  createdAt: string;
}
type ErrorJson = { error: { code: string; message: string; fields?: Record<string, string> } };

describe("flow JSON API /api/v1/tasks", () => {
  let flow: FlowTestApp;
  let linus: TestClient;
  let grace: TestClient;

  beforeAll(async () => {
    flow = await startFlowTestApp({ label: "flow-api" });
    [linus, grace] = await Promise.all([flow.browser("linus"), flow.browser("grace")]);
  });

  afterAll(async () => {
    await flow?.close();
  });

  async function create(browser: TestClient, json: Record<string, unknown>): Promise<TaskJson> {
    const response = await api(browser, "POST", "/api/v1/tasks", { json });
    expect(response.status, response.body).toBe(201);
    return (response.json as { data: TaskJson }).data;
  }

  it("answers 401 JSON to a client that is not signed in", async () => {
    const response = await api(await flow.browser(null), "GET", "/api/v1/tasks");
    expect(response.status).toBe(401);
    expect((response.json as ErrorJson).error.code).toBe("E_AUTH_REQUIRED");
  });

  it("answers 403 JSON to a user without the permission", async () => {
    const response = await api(await flow.browser("nora"), "GET", "/api/v1/tasks");
    expect(response.status).toBe(403);
    expect((response.json as ErrorJson).error.code).toBe("E_RBAC_FORBIDDEN");
    const viewer = await api(await flow.browser("vera"), "POST", "/api/v1/tasks", {
      json: { title: "nope" },
    });
    expect(viewer.status).toBe(403);
  });

  it("refuses a write without the X-CSRF-Token header", async () => {
    const response = await api(linus, "POST", "/api/v1/tasks", { json: { title: "No token" }, csrf: false });
    expect(response.status).toBe(403);
    expect((response.json as ErrorJson).error.code).toMatch(/CSRF/);
  });

  it("creates a task with defaults, answering 201 with its Location", async () => {
    const response = await api(linus, "POST", "/api/v1/tasks", { json: { title: "From the API" } });
    expect(response.status).toBe(201);
    const task = (response.json as { data: TaskJson }).data;
    expect(response.headers.location).toBe(`/api/v1/tasks/${task.id}`);
    expect(task).toMatchObject({
      title: "From the API",
      status: "todo",
      priority: "normal",
      dueOn: null,
      assigneeId: null,
      creatorId: flow.userIds.linus,
    });
    expect(new Date(task.createdAt).toISOString()).toBe(task.createdAt);
  });

  it("names every invalid field with the same messages as the form (422)", async () => {
    const response = await api(linus, "POST", "/api/v1/tasks", {
      json: { title: "", status: "later", dueOn: "2030-13-01", assigneeId: "x", color: "red" },
    });
    expect(response.status).toBe(422);
    const { error } = response.json as ErrorJson;
    expect(error.code).toBe("E_VALIDATION");
    expect(error.fields).toMatchObject({
      title: "Give the task a title.",
      status: "Choose To do, Doing or Done.",
      dueOn: "That day does not exist.",
      assigneeId: "Choose someone from the list, or nobody.",
      color: "is not a field of this resource",
    });
  });

  it("lists with filters, sorting and pagination metadata, only the tasks the user may see", async () => {
    await create(linus, { title: "api-a", status: "doing", priority: "high" });
    await create(linus, { title: "api-b", status: "doing", priority: "low" });
    await create(grace, { title: "api-grace", status: "doing" });
    const response = await api(
      linus,
      "GET",
      "/api/v1/tasks?status=doing&sort=priority&order=desc&per_page=1",
    );
    expect(response.status).toBe(200);
    const body = response.json as { data: TaskJson[]; meta: Record<string, number> };
    expect(body.meta).toEqual({ total: 2, page: 1, perPage: 1, pages: 2 });
    expect(body.data.map((task) => task.title)).toEqual(["api-a"]);
    const all = await api(grace, "GET", "/api/v1/tasks?status=doing&q=api-");
    expect((all.json as { meta: { total: number } }).meta.total).toBe(3);
    const invalid = await api(linus, "GET", "/api/v1/tasks?per_page=500&sort=color");
    expect(invalid.status).toBe(422);
    expect(Object.keys((invalid.json as ErrorJson).error.fields ?? {}).sort()).toEqual(["per_page", "sort"]);
  });

  it("gets one task, and answers 404 JSON for one the user may not see", async () => {
    const mine = await create(linus, { title: "Mine to get" });
    const got = await api(linus, "GET", `/api/v1/tasks/${mine.id}`);
    expect((got.json as { data: TaskJson }).data.title).toBe("Mine to get");
    const theirs = await create(grace, { title: "Grace's secret" });
    const hidden = await api(linus, "GET", `/api/v1/tasks/${theirs.id}`);
    expect(hidden.status).toBe(404);
    expect((hidden.json as ErrorJson).error.code).toBe("E_TASK_NOT_FOUND");
  });

  it("updates some fields with PATCH (moving it is a status change), recorded in the activity", async () => {
    const task = await create(linus, { title: "Patch me" });
    const moved = await api(linus, "PATCH", `/api/v1/tasks/${task.id}`, {
      json: { status: "done", assigneeId: flow.userIds.vera },
    });
    expect(moved.status).toBe(200);
    expect((moved.json as { data: TaskJson }).data).toMatchObject({
      status: "done",
      assigneeId: flow.userIds.vera,
      title: "Patch me",
    });
    const activity = await api(linus, "GET", `/api/v1/tasks/${task.id}/activity`);
    const entries = (activity.json as { data: { action: string; details: Record<string, unknown> }[] }).data;
    expect(entries[0]).toMatchObject({
      action: "updated",
      details: { status: ["todo", "done"], assigneeId: [null, flow.userIds.vera] },
    });
    expect(entries.at(-1)?.action).toBe("created");
    const empty = await api(linus, "PATCH", `/api/v1/tasks/${task.id}`, { json: {} });
    expect(empty.status).toBe(422);
    expect((empty.json as ErrorJson).error.fields?._).toBe("Send at least one field to change.");
  });

  it("adds and lists comments", async () => {
    const task = await create(linus, { title: "Talk about me" });
    const added = await api(linus, "POST", `/api/v1/tasks/${task.id}/comments`, {
      json: { body: "Hello <there>" },
    });
    expect(added.status).toBe(201);
    const listed = await api(linus, "GET", `/api/v1/tasks/${task.id}/comments`);
    expect((listed.json as { data: { body: string; userId: number }[] }).data).toMatchObject([
      { body: "Hello <there>", userId: flow.userIds.linus },
    ]);
    const empty = await api(linus, "POST", `/api/v1/tasks/${task.id}/comments`, { json: { body: "" } });
    expect((empty.json as ErrorJson).error.fields?.body).toBe("Write a comment first.");
  });

  it("deletes with permission only (member 403, admin 204), then answers 404", async () => {
    const task = await create(linus, { title: "Delete via API" });
    expect((await api(linus, "DELETE", `/api/v1/tasks/${task.id}`)).status).toBe(403);
    const deleted = await api(grace, "DELETE", `/api/v1/tasks/${task.id}`);
    expect(deleted.status).toBe(204);
    expect(deleted.body).toBe("");
    expect((await api(grace, "GET", `/api/v1/tasks/${task.id}`)).status).toBe(404);
  });

  it("describes every task endpoint with its schemas in the OpenAPI document", async () => {
    const response = await linus.get("/api/docs/json");
    expect(response.status).toBe(200);
    const doc = JSON.parse(response.body) as {
      paths: Record<
        string,
        Record<
          string,
          {
            tags?: string[];
            requestBody?: { content: Record<string, { schema: { properties: Record<string, unknown> } }> };
            responses: Record<string, unknown>;
          }
        >
      >;
    };
    expect(Object.keys(doc.paths["/api/v1/tasks"] ?? {}).sort()).toEqual(["get", "post"]);
    expect(Object.keys(doc.paths["/api/v1/tasks/{id}"] ?? {}).sort()).toEqual(["delete", "get", "patch"]);
    expect(doc.paths["/api/v1/tasks/{id}/comments"]).toHaveProperty("post");
    expect(doc.paths["/api/v1/tasks/{id}/activity"]).toHaveProperty("get");
    const post = doc.paths["/api/v1/tasks"]?.post;
    expect(post?.tags).toEqual(["tasks"]);
    expect(Object.keys(post?.requestBody?.content["application/json"]?.schema.properties ?? {})).toEqual(
      expect.arrayContaining(["title", "status", "priority", "dueOn", "assigneeId"]),
    );
    expect(post?.responses).toHaveProperty("201");
    expect(post?.responses).toHaveProperty("422");
    expect(doc.paths).not.toHaveProperty("/tasks");
  });
});
