import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { defineJob } from "@marg/core/queue";
import type { FlowJobDeps } from "../jobs/flow-job-deps.js";
import { reportGenerateJob } from "../jobs/job-specs.js";
import { randomName, resolveStorageKey } from "../shared/storage-files.js";
import { TaskRepository } from "../tasks/repository.js";
import { ReportRepository } from "./repository.js";
import { writeTasksCsv } from "./tasks-csv.js";
import { reportFileName } from "./types.js";

const DAY_MS = 86_400_000;
const MB = 1_048_576;

/**
 * report.generate: writes every task created in the range (those the user may
 * see) to `reports/<userId>/<reportId>-<random>.csv` — streamed from the database
 * into the file, so there is no row limit and memory stays flat; the payload
 * carries the query (range, scope), never rows — marks the report ready
 * and mails it to the user as an attachment with its row count and the link to
 * the reports page; a file above REPORT_ATTACH_MAX_MB goes as the link only and
 * the mail says why. A retry after success only re-sends the mail,
 * which the mailer de-duplicates by job id. The last failed try marks it failed.
 */
export function createReportGenerateJob(deps: FlowJobDeps) {
  return defineJob({
    ...reportGenerateJob,
    async handler(payload, ctx) {
      const reports = new ReportRepository(deps.db);
      const report = await reports.find(payload.reportId);
      if (report === null || report.userId !== payload.userId) {
        ctx.log.info({ reportId: payload.reportId }, "report is gone; nothing to do");
        return;
      }
      try {
        if (report.state !== "ready") {
          await reports.markRunning(report.id);
          const actor = { userId: payload.userId, viewAll: payload.scope === "all" };
          const from = Date.parse(`${payload.from}T00:00:00Z`);
          const to = Date.parse(`${payload.to}T00:00:00Z`) + DAY_MS;
          const tasks = new TaskRepository(deps.db).streamCreatedBetween(actor, from, to);
          const key = `reports/${payload.userId}/${report.id}-${randomName()}.csv`;
          const file = resolveStorageKey(deps.storagePath, key);
          await mkdir(path.dirname(file), { recursive: true });
          const rows = await writeTasksCsv(file, tasks, (ids) => deps.people.byIds(ids));
          await reports.markReady(report.id, key, rows);
        }
        const user = await deps.users.findById(payload.userId);
        if (user === null) return;
        const ready = await reports.find(report.id);
        if (ready?.fileKey === null || ready?.fileKey === undefined) return;
        const file = resolveStorageKey(deps.storagePath, ready.fileKey);
        const { size } = await stat(file);
        const attach = size <= deps.attachMaxBytes;
        const range = `tasks created from ${payload.from} to ${payload.to}`;
        const count = `${ready.rowCount ?? 0} tasks`;
        const download = `${deps.appUrl}/reports/${report.id}/download`;
        const body = attach
          ? `Your export of ${range} is attached (${count}).\n\nIt also stays on your reports page; download it again here (you will be asked to sign in):\n${download}`
          : `Your export of ${range} is ready (${count}). At ${(size / MB).toFixed(1)} MB it is larger than the ${deps.attachMaxBytes / MB} MB a mail may carry here (REPORT_ATTACH_MAX_MB), so it is not attached.\n\nDownload it here (you will be asked to sign in):\n${download}`;
        await deps.mailer.send(
          {
            id: `report-${report.id}-ready`,
            to: user.email,
            subject: "Your task export is ready",
            text: `Hello ${user.name},\n\n${body}\n\nAll your reports: ${deps.appUrl}/reports\n`,
            ...(attach
              ? {
                  attachments: [
                    { filename: reportFileName(ready), path: file, contentType: "text/csv; charset=utf-8" },
                  ],
                }
              : {}),
          },
          // One mail per job however often it runs (SMTP: the sent record in the shared database).
          { key: `job-${ctx.jobId}` },
        );
      } catch (error) {
        if (ctx.attempt >= ctx.maxAttempts) await reports.markFailed(report.id, (error as Error).message);
        throw error;
      }
    },
  });
}
