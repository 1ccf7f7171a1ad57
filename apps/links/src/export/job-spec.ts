import { type JobSpec, QUEUE_NAMES } from "@marg/core/queue";
import { z } from "zod";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The payload of `links.export`: the query, never the rows. The worker's handler
 * streams the clicks of `linkId` over the `days` days ending with `lastDay`
 * (inclusive) from links_db into a CSV file, however many rows that is, and mails
 * it to `email` as the attachment `filename` (REPORT_ATTACH_MAX_MB caps what a
 * mail carries; a larger file is not attached and the mail says so).
 *
 * @example
 * {
 *   linkId: 12, days: 30, lastDay: "2026-12-02", userId: 3, email: "linus@marg.localhost",
 *   title: "Clicks of /launch, last 30 days to 2026-12-02", filename: "links-launch-clicks-2026-12-02.csv"
 * }
 */
export const linksExportPayload = z.strictObject({
  linkId: z.number().int().positive(),
  days: z.number().int().min(1).max(366),
  lastDay: z.string().regex(DAY, "must be a day as YYYY-MM-DD"),
  userId: z.number().int().positive(),
  email: z.string().email().max(320),
  title: z.string().min(1).max(200),
  filename: z.string().regex(/^[A-Za-z0-9._-]{1,120}\.csv$/),
});

export type LinksExportPayload = z.input<typeof linksExportPayload>;

/**
 * `links.export`: declared once, here. links' pages dispatch by it and the
 * worker's handler (job.ts) is built from it, so the two cannot
 * disagree on the payload or the queue.
 */
export const linksExportJob: JobSpec<LinksExportPayload, z.output<typeof linksExportPayload>> = {
  name: "links.export",
  schema: linksExportPayload,
  queue: QUEUE_NAMES.reports,
  attempts: 3,
  backoff: { type: "exponential", delayMs: 5000 },
  timeoutSeconds: 300,
};
