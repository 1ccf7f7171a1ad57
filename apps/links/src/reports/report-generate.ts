import type { JobSpec } from "@marg/core";
import { z } from "zod";

/** Most rows one export carries inline (a year of daily rows for ~50 referrers). */
export const MAX_REPORT_ROWS = 20_000;

/**
 * The payload of `report.generate` as links.marg sends it. The rows travel in
 * the payload, so the report job needs no access to links_db: it writes the
 * CSV (header = `columns`), stores it under `filename` and tells the user
 * (`userId`/`email`) where to get it.
 *
 * @example
 * {
 *   kind: "links.clicks", format: "csv", userId: 3, email: "linus@marg.localhost",
 *   title: "Clicks of /launch, 2026-11-03 – 2026-12-02", filename: "links-launch-clicks-2026-12-02.csv",
 *   columns: ["day", "referrer_host", "clicks"], rows: [["2026-12-01", "news.example", 12]]
 * }
 */
export const reportGeneratePayload = z.object({
  kind: z.string().regex(/^[a-z][a-z0-9.-]{0,63}$/),
  format: z.literal("csv"),
  userId: z.number().int().positive(),
  email: z.string().email().max(320),
  title: z.string().min(1).max(200),
  filename: z.string().regex(/^[A-Za-z0-9._-]{1,120}\.csv$/),
  columns: z.array(z.string().min(1).max(64)).min(1).max(50),
  rows: z.array(z.array(z.union([z.string().max(2048), z.number()]))).max(MAX_REPORT_ROWS),
});

export type ReportGeneratePayload = z.input<typeof reportGeneratePayload>;

/**
 * `report.generate`, as a spec to dispatch by: its handler lives with the
 * worker's report job, which must accept this payload.
 */
export const reportGenerateSpec: JobSpec<ReportGeneratePayload> = {
  name: "report.generate",
  schema: reportGeneratePayload,
  attempts: 3,
};
