import type { TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AdminTestApp, startAdminTestApp, TEST_PASSWORD } from "../test-support/admin-test-app.js";
import { auditRows } from "../test-support/audit-rows.js";
import {
  insertFailedJob,
  insertLiveWorker,
  insertWaitingJob,
  queueTables,
} from "../test-support/queue-fixtures.js";

const SECRET_PAYLOAD = {
  to: "ann@x.test",
  password: "hunter2-hunter2",
  nested: { apiToken: "tok_live_123", list: [{ Authorization: "Bearer abc.def" }] },
};

describe("admin queue dashboard (database driver)", () => {
  let t: AdminTestApp;
  let grace: TestClient;

  beforeAll(async () => {
    t = await startAdminTestApp("admin-queues");
    grace = await t.signIn("grace@marg.localhost");
    await insertWaitingJob(t.db, "waiting-1", "mail");
    await insertLiveWorker(t.db, "worker-1:4242");
    await insertFailedJob(t.db, {
      id: "job-secret",
      name: "mail:send",
      payload: SECRET_PAYLOAD,
      error: "SMTP said <550> mailbox unavailable",
    });
  });
  afterAll(async () => t?.close());

  it("shows sizes per queue, workers alive and jobs per minute", async () => {
    const page = await grace.get("/queues");
    expect(page.status).toBe(200);
    const mail = page.body.split("<tr>").find((row) => row.includes("<strong>mail</strong>")) ?? "";
    expect(mail).toMatch(/<td>1<\/td>/);
    expect(page.body).toContain("worker-1:4242");
    expect(page.body).toContain("5 done · 1 failed");
  });

  it("lists failures with the error (escaped) and the payload with secrets masked", async () => {
    const page = await grace.get("/queues");
    expect(page.body).toContain("SMTP said &lt;550&gt; mailbox unavailable");
    expect(page.body).toContain("ann@x.test");
    expect(page.body).toContain("&quot;password&quot;: &quot;[masked]&quot;");
    for (const secret of ["hunter2-hunter2", "tok_live_123", "Bearer abc.def"])
      expect(page.body).not.toContain(secret);
  });

  it("masks secrets in the JSON API too", async () => {
    const response = await grace.getJson("/api/v1/queues");
    expect(response.status).toBe(200);
    const text = JSON.stringify(response.json);
    expect(text).toContain("job-secret");
    expect(text).not.toContain("hunter2");
    expect(response.json).toMatchObject({ status: { driver: "database" } });
  });

  it("hides the buttons from someone who may only look, and refuses their posts", async () => {
    const olive = await t.admin.platform.users.create({
      name: "Olive",
      email: "olive@x.test",
      password: TEST_PASSWORD,
    });
    await t.admin.platform.rbac.grantToUser(olive.id, "queues.view");
    const browser = await t.signIn("olive@x.test");
    const page = await browser.get("/queues");
    expect(page.status).toBe(200);
    expect(page.body).toContain("job-secret");
    expect(page.body).not.toContain("/queues/failed/retry");
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1] ?? "";
    const response = await browser.post("/queues/failed/forget", { _csrf: csrf, id: "job-secret" });
    expect(response.status).toBe(403);
  });

  it("retries a failed job: back on its queue, audited with the masked payload", async () => {
    const response = await grace.submit("/queues", "/queues/failed/retry", { id: "job-secret" });
    expect(response.status).toBe(303);
    expect((await grace.get("/queues")).body).toContain("Job mail:send is back on its queue.");
    const jobs = queueTables(t.db);
    expect(await jobs.selectFrom("queue_failed_jobs").select("id").execute()).toEqual([]);
    expect(
      await jobs.selectFrom("queue_jobs").select("id").where("id", "=", "job-secret").execute(),
    ).toHaveLength(1);
    const [row] = await auditRows(t.db, "job.retry");
    expect(row).toMatchObject({
      subject: "job:job-secret",
      actorUserId: t.users.admin.id,
      before: { name: "mail:send", payload: { password: "[masked]", to: "ann@x.test" } },
    });
    expect(JSON.stringify(row)).not.toContain("hunter2");
  });

  it("says so when the job is no longer there", async () => {
    const retryAgain = await grace.post("/queues/failed/retry", {
      _csrf: /name="_csrf" value="([^"]+)"/.exec((await grace.get("/queues")).body)?.[1] ?? "",
      id: "job-secret",
    });
    expect(retryAgain.status).toBe(303);
    expect((await grace.get("/queues")).body).toContain("No failed job has id &quot;job-secret&quot;");
  });

  it("forgets one failed job, audited", async () => {
    await insertFailedJob(t.db, { id: "job-2", name: "report:build", payload: {}, error: "boom" });
    await grace.submit("/queues", "/queues/failed/forget", { id: "job-2" });
    expect(await queueTables(t.db).selectFrom("queue_failed_jobs").select("id").execute()).toEqual([]);
    expect(await auditRows(t.db, "job.forget")).toMatchObject([
      { subject: "job:job-2", before: { error: "boom" } },
    ]);
  });

  it("retries all and forgets all, audited with the counts", async () => {
    for (const id of ["a", "b"]) await insertFailedJob(t.db, { id, name: "x", payload: {}, error: "e" });
    await grace.submit("/queues", "/queues/failed/retry-all", {});
    expect((await grace.get("/queues")).body).toContain("2 failed jobs are back on their queues.");
    for (const id of ["c", "d", "e"]) await insertFailedJob(t.db, { id, name: "x", payload: {}, error: "e" });
    await grace.submit("/queues", "/queues/failed/flush", {});
    expect(await queueTables(t.db).selectFrom("queue_failed_jobs").select("id").execute()).toEqual([]);
    expect(await auditRows(t.db, "queue.retry-all")).toMatchObject([{ after: { retried: 2 } }]);
    expect(await auditRows(t.db, "queue.flush")).toMatchObject([{ after: { forgotten: 3 } }]);
  });

  it("shows an empty state when nothing failed", async () => {
    expect((await grace.get("/queues")).body).toContain("No failed jobs");
  });
});

describe("admin queue dashboard without a queue connection", () => {
  let t: AdminTestApp;

  beforeAll(async () => {
    t = await startAdminTestApp("admin-no-queue", { queue: false });
  });
  afterAll(async () => t?.close());

  it("explains on the page, and answers the API with 503 E_ADMIN_QUEUE_UNAVAILABLE", async () => {
    const grace = await t.signIn("grace@marg.localhost");
    const page = await grace.get("/queues");
    expect(page.status).toBe(200);
    expect(page.body).toContain("no queue connection");
    const api = await grace.getJson("/api/v1/queues");
    expect(api.status).toBe(503);
    expect(api.json).toMatchObject({ error: { code: "E_ADMIN_QUEUE_UNAVAILABLE" } });
  });
});
