import type { TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { firstLinkIn, readMailBox } from "../../../../test/support/mail-box.js";
import { attachmentOf } from "../../../../test/support/smtp-sink.js";
import type { FlowTables } from "../flow-tables.js";
import { todayIso } from "../shared/format.js";
import { api, fetchWith } from "../test-support/api-client.js";
import { type FlowTestApp, startFlowTestApp } from "../test-support/flow-test-app.js";
import { fieldError, fieldValue } from "../test-support/task-fixtures.js";

describe("flow reports (export tasks)", () => {
  let flow: FlowTestApp;
  let linus: TestClient;
  let grace: TestClient;
  const today = todayIso();

  beforeAll(async () => {
    // 2 MB: the small reports below are attached, the 60,000-row one (~6 MB) goes as a link only.
    flow = await startFlowTestApp({ label: "flow-reports", env: { REPORT_ATTACH_MAX_MB: "2" } });
    [linus, grace] = await Promise.all([flow.browser("linus"), flow.browser("grace")]);
    await api(linus, "POST", "/api/v1/tasks", { json: { title: '=HYPERLINK("http://x")', status: "doing" } });
    await api(linus, "POST", "/api/v1/tasks", {
      json: { title: "Plain, with comma", assigneeId: flow.userIds.grace },
    });
    await api(grace, "POST", "/api/v1/tasks", { json: { title: "Grace only" } });
  });

  afterAll(async () => {
    await flow?.close();
  });

  it("shows the export form for this month and an empty list", async () => {
    const page = await linus.get("/reports");
    expect(page.status).toBe(200);
    expect(fieldValue(page.body, "from")).toBe(`${today.slice(0, 8)}01`);
    expect(fieldValue(page.body, "to")).toBe(today);
    expect(page.body).toContain("No reports yet.");
  });

  it("queues report.generate, which writes the CSV, marks it ready and mails it attached, with the link", async () => {
    const response = await linus.submit("/reports", "/reports", { from: today, to: today });
    expect(response.status).toBe(303);
    const page = await linus.get("/reports");
    expect(page.body).toContain("Your export is being made.");
    expect(page.body).toContain("attached up to 2 MB (a larger one as a link)");
    expect(page.body).toContain('<span class="badge badge-ok">Ready</span>');
    const link = /href="(\/reports\/(\d+)\/download)"/.exec(page.body);
    expect(link).not.toBeNull();

    const mail = readMailBox(`${flow.storagePath}/mail`).find(
      (m) => m.subject === "Your task export is ready",
    );
    expect(mail?.to).toContain("linus@marg.localhost");
    expect(firstLinkIn(mail?.text ?? "")?.pathname).toBe(link?.[1]);
    expect(mail?.text).toContain("is attached (2 tasks)");

    const csv = await fetchWith(linus, link?.[1] ?? "");
    expect(csv.status).toBe(200);
    expect(csv.headers["content-type"]).toBe("text/csv; charset=utf-8");
    expect(csv.headers["content-disposition"]).toContain(`tasks-${today}-to-${today}.csv`);
    const lines = csv.body.trim().split("\r\n");
    expect(lines[0]).toBe("id,title,status,priority,due_on,assignee,creator,created_at,updated_at");
    expect(lines).toHaveLength(3);
    // A formula in a title is defused; commas and quotes are quoted.
    expect(csv.body).toContain(`"'=HYPERLINK(""http://x"")"`);
    expect(csv.body).toContain('"Plain, with comma",todo,normal,,grace@marg.localhost,linus@marg.localhost');
    expect(csv.body).not.toContain("Grace only");
    // The mailed attachment is the same file the page offers.
    expect(attachmentOf(mail?.raw ?? "")).toEqual({
      filename: `tasks-${today}-to-${today}.csv`,
      text: csv.body,
    });
  });

  it("exports every task for a user who may see them all", async () => {
    const response = await api(grace, "POST", "/api/v1/reports", { json: { from: today, to: today } });
    expect(response.status).toBe(202);
    const report = (
      response.json as { data: { id: number; state: string; rowCount: number; downloadUrl: string } }
    ).data;
    expect(report).toMatchObject({ state: "ready", rowCount: 3 });
    const csv = await fetchWith(grace, report.downloadUrl);
    expect(csv.body).toContain("Grace only");
    // Reports are private: not even an admin downloads someone else's.
    expect((await fetchWith(linus, report.downloadUrl)).status).toBe(404);
    const listed = await api(linus, "GET", "/api/v1/reports");
    expect((listed.json as { data: { id: number }[] }).data.map((r) => r.id)).not.toContain(report.id);
  });

  it("exports every row of a large report, past the 50,000 rows it used to stop at", async () => {
    // Tasks of an earlier day, so the other tests' counts stay as they are.
    const day = "2029-03-01";
    const at = Date.parse(`${day}T12:00:00Z`);
    const db = flow.platform.databases.connection<FlowTables>("app");
    const total = 60_000;
    for (let start = 0; start < total; start += 500) {
      await db
        .insertInto("tasks")
        .values(
          Array.from({ length: 500 }, (_, index) => ({
            user_id: flow.userIds.grace,
            assignee_id: index % 2 === 0 ? flow.userIds.linus : null,
            title: `bulk ${start + index}`,
            description: "",
            status: "todo",
            priority: 2,
            due_on: null,
            created_at: at + start + index,
            updated_at: at + start + index,
          })),
        )
        .execute();
    }
    const response = await api(grace, "POST", "/api/v1/reports", { json: { from: day, to: day } });
    const report = (response.json as { data: { state: string; rowCount: number; downloadUrl: string } }).data;
    expect(report).toMatchObject({ state: "ready", rowCount: total });
    const csv = await fetchWith(grace, report.downloadUrl);
    const lines = csv.body.trim().split("\r\n");
    expect(lines).toHaveLength(total + 1);
    expect(lines[1]).toMatch(/^\d+,bulk 0,todo,normal,,linus@marg\.localhost,grace@marg\.localhost,/);
    expect(lines[total]).toMatch(/^\d+,bulk 59999,todo,normal,,,grace@marg\.localhost,/);
    const mail = readMailBox(`${flow.storagePath}/mail`).find((m) =>
      m.text.includes(`from ${day} to ${day}`),
    );
    expect(mail?.text).toContain(`is ready (${total} tasks)`);
    // Above REPORT_ATTACH_MAX_MB: no attachment; the mail says why and carries the link.
    expect(attachmentOf(mail?.raw ?? "")).toBeUndefined();
    expect(mail?.text).toContain("larger than the 2 MB a mail may carry here (REPORT_ATTACH_MAX_MB)");
    expect(firstLinkIn(mail?.text ?? "")?.pathname).toBe(report.downloadUrl);
  }, 120_000);

  it("re-renders an invalid range with the message beside the field and the typed values (422)", async () => {
    const response = await linus.submit("/reports", "/reports", { from: "2030-05-10", to: "2030-05-01" });
    expect(response.status).toBe(422);
    expect(fieldError(response.body, "to")).toBe("The end date must be on or after the start date.");
    expect(fieldValue(response.body, "from")).toBe("2030-05-10");
    const tooLong = await api(linus, "POST", "/api/v1/reports", {
      json: { from: "2020-01-01", to: "2030-01-01" },
    });
    expect((tooLong.json as { error: { fields: Record<string, string> } }).error.fields.to).toBe(
      "Export at most a year at a time.",
    );
  });

  it("keeps users without reports.view out and answers 404 for an unknown report", async () => {
    expect((await (await flow.browser("nora")).get("/reports")).status).toBe(403);
    expect((await fetchWith(linus, "/reports/99999/download")).status).toBe(404);
  });
});
