import path from "node:path";
import type { TestClient } from "@marg/core/testing";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../test-support/api-client.js";
import { type FlowTestApp, startFlowTestApp } from "../test-support/flow-test-app.js";
import { fieldError, fieldValue } from "../test-support/task-fixtures.js";

describe("flow feedback", () => {
  let flow: FlowTestApp;
  let linus: TestClient;

  /** The rows as they sit in klue_portal_business, read without MARG. */
  function storedFeedback(): Record<string, unknown>[] {
    const db = new SQLite(path.join(flow.storagePath, "database", "klue_portal_business.sqlite"), {
      readonly: true,
    });
    try {
      return db.prepare("SELECT * FROM feedback ORDER BY id").all() as Record<string, unknown>[];
    } finally {
      db.close();
    }
  }

  beforeAll(async () => {
    flow = await startFlowTestApp({ label: "flow-feedback" });
    linus = await flow.browser("linus");
  });

  afterAll(async () => {
    await flow?.close();
  });

  it("shows the form with the page it is about filled in", async () => {
    const page = await linus.get("/feedback?page=/tasks/board");
    expect(page.status).toBe(200);
    expect(page.body).toContain("<legend>How is it going?</legend>");
    expect(fieldValue(page.body, "page")).toBe("/tasks/board");
  });

  it("keeps viewers and users without roles out (no feedback.create), and sends guests to sign in", async () => {
    expect((await (await flow.browser("nora")).get("/feedback")).status).toBe(403);
    expect((await (await flow.browser("vera")).get("/feedback")).status).toBe(403);
    expect([302, 303]).toContain((await (await flow.browser(null)).get("/feedback")).status);
  });

  it("stores feedback in klue_portal_business and thanks the user", async () => {
    const sent = await linus.submit("/feedback", "/feedback", {
      rating: "4",
      body: "The board is <lovely>",
      page: "/tasks/board",
    });
    expect(sent.status).toBe(303);
    expect((await linus.get("/feedback")).body).toContain(
      "Thank you! Your feedback has been sent to the team.",
    );
    expect(storedFeedback()).toEqual([
      expect.objectContaining({
        app: "flow",
        user_id: flow.userIds.linus,
        user_email: "linus@marg.localhost",
        rating: 4,
        body: "The board is <lovely>",
        page: "/tasks/board",
      }),
    ]);
  });

  it("re-renders the form with the messages and what was typed (422)", async () => {
    const response = await linus.submit("/feedback", "/feedback", {
      body: "  ",
      page: "javascript:alert(1)",
    });
    expect(response.status).toBe(422);
    expect(fieldError(response.body, "rating")).toBe("Choose a rating from 1 to 5.");
    expect(fieldError(response.body, "body")).toBe("Tell us what you think.");
    expect(fieldError(response.body, "page")).toContain("Give a path like /tasks");
    expect(fieldValue(response.body, "page")).toBe("javascript:alert(1)");
    const outOfRange = await linus.submit("/feedback", "/feedback", { rating: "9", body: "x", page: "/" });
    expect(fieldError(outOfRange.body, "rating")).toBe("Choose a rating from 1 to 5.");
  });

  it("takes feedback as JSON with the same rules", async () => {
    const created = await api(linus, "POST", "/api/v1/feedback", {
      json: { rating: 5, body: "Great API", page: "https://flow.marg.test/tasks" },
    });
    expect(created.status).toBe(201);
    expect((created.json as { data: Record<string, unknown> }).data).toMatchObject({
      rating: 5,
      body: "Great API",
    });
    const invalid = await api(linus, "POST", "/api/v1/feedback", { json: { rating: 0, body: "", page: "" } });
    expect(invalid.status).toBe(422);
    expect(Object.keys((invalid.json as { error: { fields: object } }).error.fields).sort()).toEqual([
      "body",
      "page",
      "rating",
    ]);
    expect(storedFeedback()).toHaveLength(2);
  });
});
