import { defineJob, type Platform } from "@marg/core";
import { linksExportJob } from "./links-export-spec.js";

/** One CSV cell: quoted when needed; a leading = + - @ is defused so a spreadsheet never runs it. */
function csvCell(value: string | number): string {
  let text = String(value);
  if (typeof value === "string" && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

export function exportCsv(
  columns: readonly string[],
  rows: readonly (readonly (string | number)[])[],
): string {
  return [columns, ...rows]
    .map((row) => row.map(csvCell).join(","))
    .join("\r\n")
    .concat("\r\n");
}

/**
 * links.export's handler: the CSV of the rows, mailed to the user who asked as an
 * attachment. The send is keyed by the job id, so a retry never mails it twice.
 */
export function createLinksExportJob(platform: Platform) {
  return defineJob({
    ...linksExportJob,
    async handler(payload, ctx) {
      const csv = exportCsv(payload.columns, payload.rows);
      const sent = await platform.mailer.send(
        {
          id: `links-export-${ctx.jobId}`,
          to: payload.email,
          subject: `Your export: ${payload.title}`,
          text: `Hello,\n\nThe CSV you asked for is attached: ${payload.title} (${payload.rows.length} rows).\n`,
          attachments: [{ filename: payload.filename, content: csv, contentType: "text/csv; charset=utf-8" }],
        },
        { key: `job-${ctx.jobId}` },
      );
      ctx.log.info({ rows: payload.rows.length, duplicate: sent.duplicate }, "links export mailed");
    },
  });
}
