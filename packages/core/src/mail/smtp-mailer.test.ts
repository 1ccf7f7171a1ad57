import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import { Kysely, SqliteDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../../test/support/free-port.js";
import { attachmentOf, type SmtpSink, startSmtpSink } from "../../../../test/support/smtp-sink.js";
import type { MargConfig } from "../config/config-types.js";
import { Secret } from "../config/secret.js";
import { isMargError } from "../errors/index.js";
import { createTempDir } from "../testing/index.js";
import { createMailer } from "./create-mailer.js";
import { mailMigrations } from "./mail-migrations.js";
import { DatabaseSentMailLog, type MailSentTables } from "./sent-mail-log.js";

// The SMTP mailer against a real SMTP server (smtp-server on loopback, with a
// login) and its sent record in a real SQLite database: a send keyed by a job id
// is delivered once however often the job runs, and a refused send says why
// without the password.

const PASSWORD = "s3cret-smtp-pa55";
const temp = createTempDir("smtp_mailer");
let sink: SmtpSink;
let db: Kysely<MailSentTables>;
let config: Pick<MargConfig, "mail" | "storage">;

beforeAll(async () => {
  sink = await startSmtpSink({ port: await freePort(), auth: { user: "marg", pass: PASSWORD } });
  db = new Kysely<MailSentTables>({
    dialect: new SqliteDialect({ database: new Database(path.join(temp.path, "rbac.sqlite")) }),
  });
  for (const migration of Object.values(mailMigrations.migrations)) await migration.up(db as Kysely<unknown>);
  config = {
    storage: { path: temp.path },
    mail: {
      mailer: "smtp",
      host: "127.0.0.1",
      port: sink.port,
      username: "marg",
      password: new Secret(PASSWORD),
      encryption: "none",
      from: { address: "noreply@marg.test", name: "MARG" },
    },
  };
});

afterAll(async () => {
  await sink?.stop();
  await db?.destroy();
  temp.remove();
});

const message = { id: "reset-1", to: "ada@marg.test", subject: "Reset", text: "Your link." };

describe("the SMTP mailer", () => {
  it("delivers a mail keyed by its job id once, however often that job runs, with a Message-ID from the key", async () => {
    const mailer = createMailer(config, { sentLog: new DatabaseSentMailLog(db) });
    const first = await mailer.send(message, { key: "job-7f3a" });
    const again = await mailer.send(message, { key: "job-7f3a" });
    // Another worker, another mailer, the same shared record.
    const elsewhere = await createMailer(config, { sentLog: new DatabaseSentMailLog(db) }).send(message, {
      key: "job-7f3a",
    });
    expect(first.duplicate).toBe(false);
    expect(again).toMatchObject({ duplicate: true, messageId: first.messageId });
    expect(elsewhere.duplicate).toBe(true);
    const delivered = sink.received.filter((mail) => mail.header("Message-ID") === "<job-7f3a@marg.test>");
    expect(delivered).toHaveLength(1);
    expect(delivered[0]?.to).toEqual(["ada@marg.test"]);
  });

  it("sends another job's mail with the same content: the key is the job, not the text", async () => {
    const mailer = createMailer(config, { sentLog: new DatabaseSentMailLog(db) });
    await mailer.send(message, { key: "job-other" });
    expect(
      sink.received.filter((mail) => mail.header("Message-ID") === "<job-other@marg.test>"),
    ).toHaveLength(1);
  });

  it("takes the longest job id a dispatch allows (128 characters) as a key", async () => {
    const key = `job-${"a".repeat(128)}`;
    const sent = await createMailer(config, { sentLog: new DatabaseSentMailLog(db) }).send(message, { key });
    expect(sent.duplicate).toBe(false);
    expect(await new DatabaseSentMailLog(db).find(key)).toBe(sent.messageId);
  });

  it("fails with E_MAIL_SMTP_FAILED naming the server and the reason, never the password, and records nothing", async () => {
    await sink.stop();
    try {
      const mailer = createMailer(config, { sentLog: new DatabaseSentMailLog(db) });
      const error = await mailer.send(message, { key: "job-down" }).catch((caught: unknown) => caught);
      expect(isMargError(error) && error.code).toBe("E_MAIL_SMTP_FAILED");
      expect((error as Error).message).toContain(`127.0.0.1:${sink.port}`);
      expect((error as Error).message).toContain("ECONNREFUSED");
      expect((error as Error).message).not.toContain(PASSWORD);
      expect(await new DatabaseSentMailLog(db).find("job-down")).toBeNull();
    } finally {
      await sink.start();
    }
  });

  it("says why a wrong login is refused without echoing the password", async () => {
    const wrong = { ...config, mail: { ...config.mail, password: new Secret(`${PASSWORD}-old`) } };
    const error = await createMailer(wrong)
      .send(message, { key: "job-login" })
      .catch((caught: unknown) => caught);
    expect(isMargError(error) && error.code).toBe("E_MAIL_SMTP_FAILED");
    expect((error as Error).message).toMatch(/Invalid/i);
    expect((error as Error).message).not.toContain(PASSWORD);
  });

  it("attaches a file by its path, read from disk while sending, over SMTP and to the log", async () => {
    const file = path.join(temp.path, "big.csv");
    const csv = `day,clicks\r\n${Array.from({ length: 5000 }, (_, i) => `2026-12-01,${i}`).join("\r\n")}\r\n`;
    writeFileSync(file, csv);
    const attached = {
      ...message,
      id: "export-1",
      attachments: [{ filename: "big.csv", path: file, contentType: "text/csv; charset=utf-8" }],
    };
    await createMailer(config, { sentLog: new DatabaseSentMailLog(db) }).send(attached, { key: "job-file" });
    const delivered = sink.received.find((mail) => mail.header("Message-ID") === "<job-file@marg.test>");
    expect(attachmentOf(delivered?.raw ?? "")).toEqual({ filename: "big.csv", text: csv });
    const logged = await createMailer({ ...config, mail: { ...config.mail, mailer: "log" } }).send(attached);
    expect(attachmentOf(readFileSync(logged.file ?? "", "utf8").replace(/\r\n/g, "\n"))?.text).toBe(csv);
  });
});
