import { readdirSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { ARGON2_INSECURE_TEST_PARAMS, PasswordHasher } from "@marg/core/auth";
import { loadConfig } from "@marg/core/config";
import { createPlatform, type Platform } from "@marg/core/platform";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readMailBox } from "../../../../test/support/mail-box.js";
import { attachmentOf } from "../../../../test/support/smtp-sink.js";
import { LinkRepository } from "../links/repository.js";
import { type LinksDbEnv, openLinksDb } from "../test-support/links-db-env.js";
import { createLinksExportJob } from "./job.js";
import { queueClicksExport } from "./service.js";

// links' CSV export end to end but for the browser: the page's dispatch
// (queueClicksExport) builds the payload, a sync queue runs the real handler,
// which streams links_db into a file and the log mailer writes the .eml.

const TODAY = "2026-12-02";
const DAYS = 90;
/** Long referrer hosts so 27,000 rows pass 1 MB: the size cap's test needs a big file. */
const HOSTS = Array.from(
  { length: 300 },
  (_, i) => `referrer-${String(i).padStart(3, "0")}.busy-news.example`,
);
const ROWS = DAYS * HOSTS.length;
/** What the old payload carried at most; the export must go past it. */
const OLD_PAYLOAD_CAP = 20_000;

const exportDirs = () =>
  new Set(readdirSync(tmpdir()).filter((name) => name.startsWith("marg-links-export-")));

for (const driver of ["sqlite", "mysql"] as const) {
  describe(`links' CSV export of a busy link from ${driver === "sqlite" ? "SQLite" : "MariaDB"}`, () => {
    let env: LinksDbEnv;
    const platforms: Platform[] = [];

    /** links' platform on the test's links_db, running links.export at dispatch, mailing to .eml files. */
    async function platformWith(extra: Record<string, string>): Promise<Platform> {
      const config = loadConfig({
        app: "links",
        root: env.root,
        env: { ...env.env, QUEUE_CONNECTION: "sync", MAIL_MAILER: "log", ...extra },
      });
      const platform = await createPlatform(config, {
        hasher: new PasswordHasher({ params: ARGON2_INSECURE_TEST_PARAMS }),
        jobs: (p) => [createLinksExportJob(p)],
      });
      platforms.push(platform);
      return platform;
    }

    async function exportBusyLink(platform: Platform) {
      const box = path.join(platform.config.storage.path, "mail");
      const seen = new Set(readMailBox(box).map((mail) => mail.file));
      const link = await new LinkRepository(env.db).findBySlug("busy");
      if (link === undefined) throw new Error("the busy link is missing");
      await queueClicksExport({
        queue: platform.queue,
        link,
        days: DAYS,
        user: { id: 1, email: "linus@marg.test" },
        today: TODAY,
      });
      const mails = readMailBox(box).filter((mail) => !seen.has(mail.file));
      expect(mails).toHaveLength(1);
      return mails[0];
    }

    beforeAll(async () => {
      env = await openLinksDb(driver, "busy_export");
      const linkId = await env.addLink("busy");
      const end = Date.parse(`${TODAY}T00:00:00Z`);
      for (let offset = 0; offset < DAYS; offset++) {
        const day = new Date(end - offset * 86_400_000).toISOString().slice(0, 10);
        const rows = HOSTS.map((host, i) => ({ link_id: linkId, day, referrer_host: host, clicks: i + 1 }));
        await env.db.insertInto("link_clicks_daily").values(rows).execute();
      }
      // Outside the range on both ends: never exported.
      await env.db
        .insertInto("link_clicks_daily")
        .values([
          { link_id: linkId, day: "2026-12-03", referrer_host: "tomorrow.example", clicks: 1 },
          { link_id: linkId, day: "2026-09-01", referrer_host: "long-ago.example", clicks: 1 },
        ])
        .execute();
    }, 180_000);

    afterAll(async () => {
      for (const platform of platforms) await platform.close();
      await env?.cleanup();
    });

    it("mails every row of the range as an attachment, past the 20,000 the old payload carried", async () => {
      const before = exportDirs();
      const mail = await exportBusyLink(await platformWith({}));
      expect(ROWS).toBeGreaterThan(OLD_PAYLOAD_CAP);
      expect(mail?.text).toContain(`(${ROWS} rows)`);
      const csv = attachmentOf(mail?.raw ?? "");
      expect(csv?.filename).toBe(`links-busy-clicks-${TODAY}.csv`);
      const lines = (csv?.text ?? "").trimEnd().split("\r\n");
      expect(lines).toHaveLength(ROWS + 1);
      expect(lines[0]).toBe("day,referrer_host,clicks");
      expect(lines[1]).toBe(`2026-09-04,${HOSTS[0]},1`);
      expect(lines[ROWS]).toBe(`${TODAY},${HOSTS.at(-1)},${HOSTS.length}`);
      // The temp file is gone once the mail is sent.
      expect([...exportDirs()].filter((name) => !before.has(name))).toEqual([]);
    }, 180_000);

    it("says in the mail that a file above REPORT_ATTACH_MAX_MB is not attached, with its row count", async () => {
      const mail = await exportBusyLink(await platformWith({ REPORT_ATTACH_MAX_MB: "1" }));
      expect(attachmentOf(mail?.raw ?? "")).toBeUndefined();
      expect(mail?.text).toContain(`(${ROWS} rows)`);
      expect(mail?.text).toContain("more than the 1 MB a mail may carry here (REPORT_ATTACH_MAX_MB)");
      expect(mail?.text).toContain("Export fewer days");
    }, 180_000);
  });
}
