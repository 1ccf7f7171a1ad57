import { MargError, type Queue } from "@marg/core";
import { type LinksExportPayload, linksExportJob, MAX_EXPORT_ROWS } from "../jobs/links-export-spec.js";
import type { Link } from "../links/types.js";
import type { StatsService } from "../stats/stats-service.js";

/** Queues the CSV of one link's clicks (`links.export`, mailed as an attachment); returns the job id. */
export async function queueClicksExport(options: {
  queue: Queue;
  stats: StatsService;
  link: Link;
  days: number;
  user: { id: number; email: string };
  today: string;
}): Promise<string> {
  const { link, days } = options;
  const rows = (await options.stats.rowsForExport(link.id, days)).slice(0, MAX_EXPORT_ROWS);
  const payload: LinksExportPayload = {
    kind: "links.clicks",
    format: "csv",
    userId: options.user.id,
    email: options.user.email,
    title: `Clicks of /${link.slug}, last ${days} days to ${options.today}`,
    filename: `links-${link.slug}-clicks-${options.today}.csv`,
    columns: ["day", "referrer_host", "clicks"],
    rows: rows.map((row) => [row.day, row.host, row.clicks]),
  };
  try {
    const job = await options.queue.dispatch(linksExportJob, payload);
    return job.id;
  } catch (error) {
    throw new MargError(
      "E_LINK_EXPORT_UNAVAILABLE",
      "The export could not be queued right now. Try again in a minute.",
      { status: 503, cause: error },
    );
  }
}
