import { ARGON2_INSECURE_TEST_PARAMS, PasswordHasher } from "@marg/core/auth";
import { loadConfig } from "@marg/core/config";
import { createPlatform, type Platform } from "@marg/core/platform";
import { type JobContext, SILENT_QUEUE_LOGGER } from "@marg/core/queue";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app as linksApp } from "../index.js";
import { type LinksTestApp, startLinksTestApp } from "../test-support/links-test-app.js";
import { flushClicksSpec } from "./flush-clicks-job.js";

function jobContext(): JobContext {
  return {
    jobId: "test-flush",
    name: flushClicksSpec.name,
    queue: "default",
    attempt: 1,
    maxAttempts: 5,
    signal: new AbortController().signal,
    log: SILENT_QUEUE_LOGGER,
  };
}

describe("the links:flush-clicks job in a worker", () => {
  let server: LinksTestApp;
  let worker: Platform;

  beforeAll(async () => {
    server = await startLinksTestApp({ label: "links_job" });
    // A worker's platform is the installation's (app id "marg"), not links': the job must find links_db itself.
    worker = await createPlatform(loadConfig({ root: server.platform.config.app.root }), {
      hasher: new PasswordHasher({ params: ARGON2_INSECURE_TEST_PARAMS }),
      jobs: [],
    });
  });

  afterAll(async () => {
    await worker?.close();
    await server?.close();
  });

  it("is declared by the app as a job and as a once-a-minute schedule", () => {
    const jobs = linksApp.jobs?.(worker) ?? [];
    const schedules = linksApp.schedules?.(worker) ?? [];
    expect(jobs.map((job) => job.name)).toEqual(["links:flush-clicks", "links.export"]);
    expect(schedules.map((schedule) => [schedule.job.name, schedule.everySeconds])).toEqual([
      ["links:flush-clicks", 60],
    ]);
  });

  it("moves the clicks the web process buffered into the daily totals of links_db", async () => {
    const link = await server.runtime.service.create(
      { userId: server.userIds.member, seesAll: false },
      { targetUrl: "https://example.com/job", slug: "job-link" },
    );
    for (let i = 0; i < 3; i += 1) expect((await server.browser().get("/job-link")).status).toBe(302);
    await server.runtime.counter.drain();
    const [job] = linksApp.jobs?.(worker) ?? [];
    await job?.handler({}, jobContext());
    const row = await server.db
      .selectFrom("link_clicks_daily")
      .select((eb) => eb.fn.sum<number | string>("clicks").as("clicks"))
      .where("link_id", "=", link.id)
      .executeTakeFirst();
    expect(Number(row?.clicks)).toBe(3);
  });

  it("refuses a payload with unknown fields", () => {
    expect(flushClicksSpec.schema.safeParse({ surprise: 1 }).success).toBe(false);
    expect(flushClicksSpec.schema.safeParse({}).success).toBe(true);
  });
});
