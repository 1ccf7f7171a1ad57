import path from "node:path";
import { platformJobs } from "@marg/core/platform";
import type { TestClient } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMailBox } from "../../../../test/support/mail-box.js";
import { dayOf } from "../clicks/click-facts.js";
import { createLinksExportJob } from "../export/job.js";
import { type LinksTestApp, startLinksTestApp } from "../test-support/links-test-app.js";

describe("statistics pages and the CSV export", () => {
  let app: LinksTestApp;
  let member: TestClient;
  let linkId = 0;

  beforeAll(async () => {
    // The real handlers, which QUEUE_CONNECTION=sync runs at dispatch (test/e2e runs them in `marg work`).
    app = await startLinksTestApp({
      label: "links_stats",
      jobs: (platform) => [...platformJobs(platform), createLinksExportJob(platform)],
    });
    member = await app.signIn("member");
    const link = await app.runtime.service.create(
      { userId: app.userIds.member, seesAll: false },
      { targetUrl: "https://example.com/stats", slug: "stats-demo" },
    );
    linkId = link.id;
  });

  afterAll(async () => {
    await app?.close();
  });

  it("shows an empty chart and says there are no clicks yet", async () => {
    const page = await member.get(`/links/${linkId}/stats`);
    expect(page.status).toBe(200);
    expect(page.body).toContain("<svg");
    expect(page.body).toContain("0 clicks in 30 days");
    expect(page.body).toContain("No clicks in this period yet");
  });

  it("shows a click at once (from the counter), then the same after the flush", async () => {
    const visitor = app.browser();
    await visitor.get("/stats-demo", { headers: { referer: "https://news.example.com/today" } });
    await visitor.get("/stats-demo");
    const live = await member.get(`/links/${linkId}/stats`);
    expect(live.body).toContain("2 clicks in 30 days");
    expect(live.body).toContain("news.example.com");
    expect(live.body).toContain("Direct or hidden");
    expect(live.body).toContain("from the last minute");
    expect(live.body).toContain(`<title>${dayOf(Date.now())}: 2</title>`);
    await app.flush();
    const flushed = await member.get(`/links/${linkId}/stats`);
    expect(flushed.body).toContain("2 clicks in 30 days");
    expect(flushed.body).not.toContain("from the last minute");
  });

  it("shows 7 or 90 days when asked, and 30 for anything else", async () => {
    expect((await member.get(`/links/${linkId}/stats?days=7`)).body).toContain("in 7 days");
    expect((await member.get(`/links/${linkId}/stats?days=90`)).body).toContain("in 90 days");
    expect((await member.get(`/links/${linkId}/stats?days=1000`)).body).toContain("in 30 days");
  });

  it("refuses the stats of someone else's link (404) and guests (sign in)", async () => {
    const other = await app.signIn("other");
    expect((await other.get(`/links/${linkId}/stats`)).status).toBe(404);
    expect((await app.browser().get(`/links/${linkId}/stats`)).status).toBe(302);
  });

  it("mails the CSV export (links.export) to the user who asked, as an attachment with the rows and their count", async () => {
    const response = await member.submit(`/links/${linkId}/stats`, `/links/${linkId}/export?days=30`, {});
    expect(response.status).toBe(303);
    expect(response.location).toBe(`/links/${linkId}/stats?days=30`);
    const mails = readMailBox(path.join(app.platform.config.storage.path, "mail"));
    expect(mails).toHaveLength(1);
    const mail = mails[0];
    expect(mail?.to).toContain("linus@marg.test");
    expect(mail?.subject).toContain("Clicks of /stats-demo");
    expect(mail?.text).toContain("(2 rows)");
    const raw = mail?.raw ?? "";
    expect(raw).toContain(`filename=links-stats-demo-clicks-${dayOf(Date.now())}.csv`);
    const csv = attachmentText(raw);
    expect(csv.split("\r\n")[0]).toBe("day,referrer_host,clicks");
    expect(csv).toContain(`${dayOf(Date.now())},,1`);
    expect(csv).toContain(`${dayOf(Date.now())},news.example.com,1`);
    const page = await member.get(`/links/${linkId}/stats`);
    expect(page.body).toContain("being prepared");
    expect(page.body).toContain("a file over 10 MB is not attached");
  });

  it("lets a viewer see stats of their own links but hides the edit button", async () => {
    const viewer = await app.signIn("viewer");
    const theirs = await app.runtime.service.create(
      { userId: app.userIds.viewer, seesAll: false },
      { targetUrl: "https://example.com/v", slug: "viewer-link" },
    );
    const page = await viewer.get(`/links/${theirs.id}/stats`);
    expect(page.status).toBe(200);
    expect(page.body).not.toContain(`/links/${theirs.id}/edit`);
  });
});

/** The first base64 attachment of a raw mail, decoded. */
function attachmentText(raw: string): string {
  const match = /Content-Disposition: attachment[^\n]*\n(?:[^\n]+\n)*\n([A-Za-z0-9+/=\n]+)/i.exec(raw);
  return Buffer.from((match?.[1] ?? "").replace(/\n/g, ""), "base64").toString("utf8");
}
