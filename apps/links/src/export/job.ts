import { mkdtemp, rm, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Platform } from "@marg/core/platform";
import { defineJob } from "@marg/core/queue";
import { linksDatabase } from "../db/database.js";
import { writeClicksCsv } from "./clicks-csv.js";
import { linksExportJob } from "./job-spec.js";
import { streamClickExportRows } from "./repository.js";

const MB = 1_048_576;

/**
 * links.export's handler: streams the clicks the payload's query names from
 * links_db into a temp CSV (any number of rows, one batch in memory), mails it
 * to the user who asked as an attachment with its row count, and removes the
 * file. A file above REPORT_ATTACH_MAX_MB is not attached; the mail says so
 * and how to get a smaller one. The send is keyed by the job id, so a retry
 * never mails it twice.
 */
export function createLinksExportJob(platform: Platform) {
  const maxBytes = platform.config.reports.attachMaxBytes;
  return defineJob({
    ...linksExportJob,
    async handler(payload, ctx) {
      const dir = await mkdtemp(path.join(tmpdir(), "marg-links-export-"));
      try {
        const file = path.join(dir, payload.filename);
        const rows = await writeClicksCsv(
          file,
          streamClickExportRows(linksDatabase(platform), {
            linkId: payload.linkId,
            days: payload.days,
            lastDay: payload.lastDay,
          }),
        );
        const { size } = await stat(file);
        const attach = size <= maxBytes;
        const counted = `${payload.title} (${rows} rows)`;
        const sent = await platform.mailer.send(
          {
            id: `links-export-${ctx.jobId}`,
            to: payload.email,
            subject: `Your export: ${payload.title}`,
            text: attach
              ? `Hello,\n\nThe CSV you asked for is attached: ${counted}.\n`
              : `Hello,\n\nThe CSV you asked for, ${counted}, is ${(size / MB).toFixed(1)} MB: more than the ${maxBytes / MB} MB a mail may carry here (REPORT_ATTACH_MAX_MB), so it is not attached. Export fewer days to get it by mail.\n`,
            ...(attach
              ? {
                  attachments: [
                    { filename: payload.filename, path: file, contentType: "text/csv; charset=utf-8" },
                  ],
                }
              : {}),
          },
          { key: `job-${ctx.jobId}` },
        );
        ctx.log.info(
          { rows, bytes: size, attached: attach, duplicate: sent.duplicate },
          "links export mailed",
        );
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
  });
}
