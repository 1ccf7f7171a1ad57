import { MargError, type Queue } from "@marg/core";
import type { Link } from "../links/types.js";
import { CLICKS_CSV_COLUMNS } from "../reports/clicks-csv.js";
import {
  MAX_REPORT_ROWS,
  type ReportGeneratePayload,
  reportGenerateSpec,
} from "../reports/report-generate.js";
import type { StatsService } from "../stats/stats-service.js";

/** Queues the CSV of one link's clicks (`report.generate`); returns the job id. */
export async function queueClicksExport(options: {
  queue: Queue;
  stats: StatsService;
  link: Link;
  days: number;
  user: { id: number; email: string };
  today: string;
}): Promise<string> {
  const { link, days } = options;
  const rows = (await options.stats.rowsForExport(link.id, days)).slice(0, MAX_REPORT_ROWS);
  const payload: ReportGeneratePayload = {
    kind: "links.clicks",
    format: "csv",
    userId: options.user.id,
    email: options.user.email,
    title: `Clicks of /${link.slug}, last ${days} days to ${options.today}`,
    filename: `links-${link.slug}-clicks-${options.today}.csv`,
    columns: [...CLICKS_CSV_COLUMNS],
    rows: rows.map((row) => [row.day, row.host, row.clicks]),
  };
  try {
    const job = await options.queue.dispatch(reportGenerateSpec, payload);
    return job.id;
  } catch (error) {
    throw new MargError(
      "E_LINK_EXPORT_UNAVAILABLE",
      "The export could not be queued right now. Try again in a minute.",
      { status: 503, cause: error },
    );
  }
}
