import { MargError } from "@marg/core/errors";
import type { Queue } from "@marg/core/queue";
import type { Link } from "../links/types.js";
import { type LinksExportPayload, linksExportJob } from "./job-spec.js";

/**
 * Queues the CSV of one link's clicks (`links.export`): the payload carries the
 * query (link, days, the range's last day), and the worker streams the rows from
 * links_db and mails them as an attachment. Returns the job id.
 */
export async function queueClicksExport(options: {
  queue: Queue;
  link: Link;
  days: number;
  user: { id: number; email: string };
  today: string;
}): Promise<string> {
  const { link, days, today } = options;
  const payload: LinksExportPayload = {
    linkId: link.id,
    days,
    lastDay: today,
    userId: options.user.id,
    email: options.user.email,
    title: `Clicks of /${link.slug}, last ${days} days to ${today}`,
    filename: `links-${link.slug}-clicks-${today}.csv`,
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
