import { type JobSpec, QUEUE_NAMES } from "@marg/core";
import { z } from "zod";

/** Most rows one export carries inline (a year of daily rows for ~50 referrers). */
export const MAX_EXPORT_ROWS = 20_000;

/**
 * The payload of `links.export`: the rows travel in the payload, so the job
 * needs no access to links_db. It writes the CSV (header = `columns`) and mails
 * it to `email` as the attachment `filename`.
 *
 * @example
 * {
 *   kind: "links.clicks", format: "csv", userId: 3, email: "linus@marg.localhost",
 *   title: "Clicks of /launch, 2026-11-03 – 2026-12-02", filename: "links-launch-clicks-2026-12-02.csv",
 *   columns: ["day", "referrer_host", "clicks"], rows: [["2026-12-01", "news.example", 12]]
 * }
 */
export const linksExportPayload = z.strictObject({
  kind: z.string().regex(/^[a-z][a-z0-9.-]{0,63}$/),
  format: z.literal("csv"),
  userId: z.number().int().positive(),
  email: z.string().email().max(320),
  title: z.string().min(1).max(200),
  filename: z.string().regex(/^[A-Za-z0-9._-]{1,120}\.csv$/),
  columns: z.array(z.string().min(1).max(64)).min(1).max(50),
  rows: z.array(z.array(z.union([z.string().max(2048), z.number()]))).max(MAX_EXPORT_ROWS),
});

export type LinksExportPayload = z.input<typeof linksExportPayload>;

/**
 * `links.export`: declared once, here. links' pages dispatch by it and the
 * worker's handler (links-export-job.ts) is built from it, so the two cannot
 * disagree on the payload or the queue.
 */
export const linksExportJob: JobSpec<LinksExportPayload, z.output<typeof linksExportPayload>> = {
  name: "links.export",
  schema: linksExportPayload,
  queue: QUEUE_NAMES.reports,
  attempts: 3,
  backoff: { type: "exponential", delayMs: 5000 },
  timeoutSeconds: 120,
};
