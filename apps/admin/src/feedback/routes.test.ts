import { idType, withId } from "@marg/core/db";
import type { TestClient } from "@marg/core/testing";
import type { Generated, Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminTestApp, startAdminTestApp } from "../test-support/admin-test-app.js";

/** Flow's feedback table as this test writes it (apps/flow/src/feedback/feedback-tables.ts). */
interface FlowFeedbackTables {
  feedback: {
    id: Generated<number>;
    app: string;
    user_id: number;
    user_email: string;
    rating: number;
    body: string;
    page: string;
    created_at: number;
  };
}

describe("admin feedback page", () => {
  let t: AdminTestApp;
  let grace: TestClient;
  let business: Kysely<FlowFeedbackTables>;

  beforeAll(async () => {
    t = await startAdminTestApp("admin-feedback");
    grace = await t.signIn("grace@marg.localhost");
    business = t.admin.platform.databases.connection<FlowFeedbackTables>("business");
  });
  afterAll(async () => t?.close());

  it("says the table is not there yet, before flow's migration ran", async () => {
    const page = await grace.get("/feedback");
    expect(page.status).toBe(200);
    expect(page.body).toContain("No feedback table yet");
  });

  describe("with flow's feedback table", () => {
    beforeAll(async () => {
      // The shape flow's migration gives it (apps/flow/src/feedback/feedback-migrations.ts);
      // flow owns the table and admin only reads it, so the test writes it as flow would.
      await business.schema
        .createTable("feedback")
        .$call(withId(business))
        .addColumn("app", "varchar(32)", (col) => col.notNull())
        .addColumn("user_id", idType(business), (col) => col.notNull())
        .addColumn("user_email", "varchar(254)", (col) => col.notNull())
        .addColumn("rating", "smallint", (col) => col.notNull())
        .addColumn("body", "text", (col) => col.notNull())
        .addColumn("page", "varchar(500)", (col) => col.notNull())
        .addColumn("created_at", "bigint", (col) => col.notNull())
        .execute();
    });

    it("shows an empty state while nobody has written", async () => {
      expect((await grace.get("/feedback")).body).toContain("Nobody has sent feedback yet.");
    });

    it("lists feedback newest first, with the sender's name, escaped", async () => {
      const now = Date.now();
      await business
        .insertInto("feedback")
        .values([
          {
            app: "flow",
            user_id: t.users.member.id,
            user_email: "linus@marg.localhost",
            rating: 5,
            body: "Love the board",
            page: "/tasks",
            created_at: now - 1000,
          },
          {
            app: "flow",
            user_id: t.users.viewer.id,
            user_email: "vera@marg.localhost",
            rating: 1,
            body: "<script>alert(1)</script>",
            page: "/reports",
            created_at: now,
          },
        ])
        .execute();
      const page = await grace.get("/feedback");
      expect(page.body).toContain("2 messages");
      expect(page.body.indexOf("&lt;script&gt;")).toBeLessThan(page.body.indexOf("Love the board"));
      expect(page.body).not.toContain("<script>alert(1)</script>");
      expect(page.body).toContain(`<a href="/users/${t.users.member.id}">Linus Member</a>`);
      expect(page.body).toContain('aria-label="5 of 5"');
    });

    it("filters by rating and ignores a nonsense one", async () => {
      const low = await grace.get("/feedback?rating=1");
      expect(low.body).toContain("1 message");
      expect(low.body).not.toContain("Love the board");
      expect((await grace.get("/feedback?rating=banana")).body).toContain("2 messages");
    });

    it("pages through many messages", async () => {
      const rows = Array.from({ length: 30 }, (_, i) => ({
        app: "flow",
        user_id: 999_999,
        user_email: "gone@x.test",
        rating: 3,
        body: `note ${i}`,
        page: "/",
        created_at: 1_000 + i,
      }));
      await business.insertInto("feedback").values(rows).execute();
      const first = await grace.get("/feedback");
      expect(first.body).toContain("Page 1 of 2");
      const second = await grace.get("/feedback?page=2");
      expect(second.body).toContain("note 0");
      // A sender whose account is gone is shown by the address they wrote from.
      expect(second.body).toContain("gone@x.test");
    });
  });
});
