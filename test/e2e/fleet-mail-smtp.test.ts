import { DEMO_PASSWORD } from "@marg/core/auth";
import { generateAppKey, loadConfig } from "@marg/core/config";
import { mailSendJob } from "@marg/core/platform";
import { createQueue, createQueueBackend } from "@marg/core/queue";
import { createScratchRedisPrefix, TEST_REDIS } from "@marg/core/testing";
import { Queue as BullQueue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormBrowser } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import { createMargInstallation, type MargInstallation } from "../support/marg-installation.js";
import { attachmentOf, type ReceivedMail, type SmtpSink, startSmtpSink } from "../support/smtp-sink.js";
import { MARG_BIN, type RunningProcess, startProcess } from "../support/spawn-process.js";

// The fleet as an operator runs it: `marg serve links` and a `marg work` process
// (nothing stands in for a handler), MAIL_MAILER=smtp to a real SMTP server this
// suite starts, stops and restarts. On both queue drivers: a password-reset mail
// and links' CSV export arrive over SMTP; with the SMTP server down, mail jobs
// retry with backoff and end in failed jobs with the SMTP error (never the
// password); once it is back, `marg queue:retry all` delivers each exactly once.

const SMTP_USER = "marg-mailer";
const SMTP_PASSWORD = "smtp-pa55word-never-logged";
const HOST = "links.marg.localhost";

async function eventually<T>(what: string, check: () => Promise<T | undefined> | T | undefined, ms = 90_000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await Promise.resolve(check()).catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

for (const driver of ["database", "redis"] as const) {
  describe(`mail through a real worker and a real SMTP server (${driver} queue)`, () => {
    const installation: MargInstallation = createMargInstallation(`fleet-mail-${driver}`);
    const redis = driver === "redis" ? createScratchRedisPrefix("fleet_mail") : undefined;
    let sink: SmtpSink;
    let server: RunningProcess | undefined;
    let worker: RunningProcess | undefined;
    let links: FormBrowser;

    const mailsTo = (address: string, subject: string): ReceivedMail[] =>
      sink.received.filter((mail) => mail.to.includes(address) && mail.header("Subject").includes(subject));

    const failedJobs = async () =>
      (JSON.parse(await installation.run(["queue:failed", "--json"])) as { failed: FailedRow[] }).failed;

    beforeAll(async () => {
      const port = await freePort();
      sink = await startSmtpSink({ port: await freePort(), auth: { user: SMTP_USER, pass: SMTP_PASSWORD } });
      installation.writeSharedEnv({
        APP_KEY: generateAppKey(),
        MARG_APPS: "flow,links",
        QUEUE_CONNECTION: driver,
        MAIL_MAILER: "smtp",
        MAIL_HOST: "127.0.0.1",
        MAIL_PORT: String(sink.port),
        MAIL_USERNAME: SMTP_USER,
        MAIL_PASSWORD: SMTP_PASSWORD,
        MAIL_ENCRYPTION: "none",
        LOG_LEVEL: "info",
        ...(redis === undefined
          ? {}
          : { REDIS_HOST: TEST_REDIS.host, REDIS_PORT: String(TEST_REDIS.port), REDIS_PREFIX: redis.prefix }),
      });
      installation.writeAppEnv("links", { APP_URL: `http://${HOST}:${port}` });
      await installation.run(["migrate"]);
      await installation.run(["db:seed"]);
      server = await installation.serve("links", port);
      worker = startProcess("node", [MARG_BIN, "work", "--sleep", "0.1", "--no-scheduler"], {
        env: { MARG_ROOT: installation.root },
      });
      await worker.waitFor(/worker started/, 90_000);
      links = new FormBrowser({ host: HOST, port });
    }, 240_000);

    afterAll(async () => {
      await worker?.stop(5_000);
      await server?.stop(5_000);
      await sink?.stop();
      await redis?.clear();
      installation.remove();
    });

    it("delivers the password-reset mail over SMTP, with a Message-ID made from the job id", async () => {
      const response = await links.submit("/forgot-password", "/forgot-password", {
        email: "ada@marg.localhost",
      });
      expect(response.status).toBe(200);
      const [mail] = await eventually("the reset mail", () => {
        const found = mailsTo("ada@marg.localhost", "Reset your MARG password");
        return found.length > 0 ? found : undefined;
      });
      expect(mail?.raw).toContain("/reset-password");
      expect(mail?.header("Message-ID")).toMatch(/^<job-[0-9a-f-]{36}@marg\.localhost>$/);
    }, 120_000);

    it("runs a sent mail's job again under its job id (a worker that died before its ack) and sends nothing more", async () => {
      const [reset] = mailsTo("ada@marg.localhost", "Reset your MARG password");
      const messageId = reset?.header("Message-ID") ?? "";
      const jobId = /^<job-([0-9a-f-]{36})@/.exec(messageId)?.[1] ?? "";
      expect(jobId).not.toBe("");
      const config = loadConfig({ app: "links", root: installation.root, env: {} });
      if (driver === "redis") {
        // BullMQ keeps a completed job (and ignores a new one with its id) for an hour: drop it, as a lost ack would.
        const connection = new Redis({ host: TEST_REDIS.host, port: TEST_REDIS.port, lazyConnect: true });
        const mailQueue = new BullQueue("mail", { connection, prefix: `${config.redis.prefix}queues` });
        await mailQueue.remove(jobId);
        await mailQueue.close();
        connection.disconnect();
      }
      const backend = await createQueueBackend(config);
      try {
        const again = { id: "reset-again", to: "ada@marg.localhost", subject: "Reset again", text: "Once." };
        await createQueue(backend).dispatch(mailSendJob, again, { jobId });
      } finally {
        await backend.close();
      }
      await worker?.waitFor(/mail already sent/, 60_000);
      expect(sink.received.filter((mail) => mail.header("Message-ID") === messageId)).toHaveLength(1);
      expect(mailsTo("ada@marg.localhost", "Reset again")).toEqual([]);
    }, 120_000);

    it("mails links' CSV export to the user who asked, as an attachment, from the real links.export handler", async () => {
      const linus = links.clone();
      const signIn = await linus.submit("/login", "/login", {
        email: "linus@marg.localhost",
        password: DEMO_PASSWORD,
      });
      expect(signIn.status).toBe(303);
      const list = await linus.get("/links");
      const ids = [...new Set([...list.body.matchAll(/\/links\/(\d+)\/stats/g)].map((match) => match[1]))];
      let launch: string | undefined;
      for (const id of ids) if ((await linus.get(`/links/${id}/stats`)).body.includes("/launch")) launch = id;
      expect(launch).toBeDefined();
      const queued = await linus.submit(`/links/${launch}/stats`, `/links/${launch}/export?days=30`, {});
      expect(queued.status).toBe(303);
      const [mail] = await eventually("the export mail", () => {
        const found = mailsTo("linus@marg.localhost", "Clicks of /launch");
        return found.length > 0 ? found : undefined;
      });
      const csv = attachmentOf(mail?.raw ?? "");
      expect(csv?.filename).toMatch(/^links-launch-clicks-\d{4}-\d{2}-\d{2}\.csv$/);
      const [header, ...rows] = (csv?.text ?? "").trim().split("\r\n");
      expect(header).toBe("day,referrer_host,clicks");
      expect(rows.length).toBeGreaterThan(0);
      expect(rows[0]).toMatch(/^\d{4}-\d{2}-\d{2},[^,]*,\d+$/);
      expect(await failedJobs()).toEqual([]);
    }, 120_000);

    it("retries mail while the SMTP server is down, keeps it in failed jobs with the SMTP error, then `queue:retry` delivers each once", async () => {
      await sink.stop();
      const before = sink.received.length;
      for (const email of ["grace@marg.localhost", "linus@marg.localhost"]) {
        const response = await links.clone().submit("/forgot-password", "/forgot-password", { email });
        expect(response.status).toBe(200);
      }
      const failed = await eventually(
        "both mail jobs to use their tries and fail",
        async () => {
          const rows = (await failedJobs()).filter((row) => row.name === "mail.send");
          return rows.length === 2 ? rows : undefined;
        },
        120_000,
      );
      for (const row of failed) {
        expect(row.queue).toBe("mail");
        expect(row.attempts).toBe(5);
        expect(row.error).toContain(`SMTP server 127.0.0.1:${sink.port} did not take the mail`);
        expect(row.error).toContain("ECONNREFUSED");
        expect(row.error).not.toContain(SMTP_PASSWORD);
      }
      expect(worker?.output()).not.toContain(SMTP_PASSWORD);

      await sink.start();
      expect(await installation.run(["queue:retry", "all"])).toContain("2 failed jobs are back");
      await eventually("both mails to arrive", () => (sink.received.length - before >= 2 ? true : undefined));
      await eventually("the queue to be empty", async () =>
        (await failedJobs()).length === 0 ? true : undefined,
      );
      // Nothing left to retry, and nothing sent twice: one mail per job id.
      expect(await installation.run(["queue:retry", "all"])).toContain("0 failed jobs");
      const resent = sink.received.slice(before);
      expect(resent).toHaveLength(2);
      expect(new Set(resent.map((mail) => mail.header("Message-ID"))).size).toBe(2);
      expect(new Set(resent.flatMap((mail) => mail.to))).toEqual(
        new Set(["grace@marg.localhost", "linus@marg.localhost"]),
      );
    }, 240_000);
  });
}

interface FailedRow {
  readonly id: string;
  readonly queue: string;
  readonly name: string;
  readonly error: string;
  readonly attempts: number;
}
