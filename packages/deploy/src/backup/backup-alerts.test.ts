import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { MargConfig } from "@marg/core/config";
import { createMailer } from "@marg/core/mail";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { type BackupAlerts, runBackupWithAlerts } from "./backup-alerts.js";
import { backupMysql } from "./mysql-backup.js";

const temp = createTempDir("backup-alerts");
afterAll(() => temp.remove());

/** The file mailer (phase 1's), so a sent alert is a real .eml on disk. */
const mailer = createMailer({
  mail: {
    mailer: "log",
    host: "127.0.0.1",
    port: 25,
    username: undefined,
    password: undefined,
    encryption: "none",
    from: { address: "marg@example.test", name: "MARG" },
  },
  storage: { path: temp.path },
} as Pick<MargConfig, "mail" | "storage">);

function recordingAlerts(withMail: boolean) {
  const lines: { level: string; data: Record<string, unknown>; message: string }[] = [];
  const failures: string[] = [];
  const alerts: BackupAlerts = {
    logger: {
      info: (data, message) => lines.push({ level: "info", data, message }),
      error: (data, message) => lines.push({ level: "error", data, message }),
    },
    failures: { inc: ({ kind }) => failures.push(kind) },
    ...(withMail ? { mail: { mailer, to: "ops@example.test" } } : {}),
  };
  return { alerts, lines, failures };
}

describe("a backup job that fails alerts", () => {
  it("logs at error level, counts the failure, mails the operator and still fails", async () => {
    const { alerts, lines, failures } = recordingAlerts(true);
    // A real failing dump: nothing listens on port 1.
    const failing = () =>
      backupMysql({ target: { host: "127.0.0.1", port: 1, user: "root" }, databases: ["x"], dir: temp.path });
    await expect(runBackupWithAlerts("mysql", alerts, failing)).rejects.toMatchObject({
      code: "E_BACKUP_FAILED",
    });
    expect(lines.map((line) => [line.level, line.message])).toEqual([["error", "mysql backup FAILED"]]);
    expect(String(lines[0]?.data.err)).toContain("MySQL backup failed");
    expect(failures).toEqual(["mysql"]);
    const mails = readdirSync(path.join(temp.path, "mail")).filter((name) => name.endsWith(".eml"));
    expect(mails).toHaveLength(1);
    const mail = readFileSync(path.join(temp.path, "mail", mails[0] ?? ""), "utf8");
    expect(mail).toContain("ops@example.test");
    expect(mail).toContain("mysql backup failed");
  });

  it("logs success at info level and alerts nobody", async () => {
    const { alerts, lines, failures } = recordingAlerts(false);
    await expect(runBackupWithAlerts("redis", alerts, async () => "done")).resolves.toBe("done");
    expect(lines.map((line) => line.level)).toEqual(["info"]);
    expect(failures).toEqual([]);
  });
});
