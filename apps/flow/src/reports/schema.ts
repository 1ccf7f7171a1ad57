import { z } from "zod";
import { isoDate } from "../tasks/schema.js";

const DAY_MS = 86_400_000;
/** A year and a day, so "this day last year to today" fits. */
export const MAX_REPORT_DAYS = 367;

/** "Export tasks" for a date range: the one schema for the form and the API. */
export const reportRequestSchema = z
  .strictObject({
    from: isoDate,
    to: isoDate,
  })
  .superRefine((range, ctx) => {
    const days = (Date.parse(`${range.to}T00:00:00Z`) - Date.parse(`${range.from}T00:00:00Z`)) / DAY_MS + 1;
    if (days < 1)
      ctx.addIssue({
        code: "custom",
        path: ["to"],
        message: "The end date must be on or after the start date.",
      });
    else if (days > MAX_REPORT_DAYS)
      ctx.addIssue({ code: "custom", path: ["to"], message: "Export at most a year at a time." });
  });
export type ReportRequest = z.output<typeof reportRequestSchema>;
