import { stat } from "node:fs/promises";
import type { Queue } from "@marg/core/queue";
import { flowError } from "../errors.js";
import { reportGenerateJob } from "../jobs/job-specs.js";
import { resolveStorageKey } from "../shared/storage-files.js";
import type { Page, TaskActor } from "../tasks/types.js";
import type { ReportRepository } from "./repository.js";
import type { ReportRequest } from "./schema.js";
import type { Report } from "./types.js";

/**
 * Reports a user asks for: stored as `queued`, made by the report.generate job,
 * listed and downloaded only by the user who asked.
 */
export class ReportService {
  constructor(
    private readonly deps: {
      reports: ReportRepository;
      queue: Pick<Queue, "dispatch">;
      storagePath: string;
    },
  ) {}

  /** Stores the request and queues the job; a queue that is down marks the report failed and says so. */
  async request(actor: TaskActor, range: ReportRequest): Promise<Report> {
    const scope = actor.viewAll ? "all" : "mine";
    const report = await this.deps.reports.create({ userId: actor.userId, scope, ...range });
    try {
      await this.deps.queue.dispatch(reportGenerateJob, {
        reportId: report.id,
        userId: actor.userId,
        from: range.from,
        to: range.to,
        scope,
      });
    } catch (error) {
      await this.deps.reports.markFailed(
        report.id,
        "The job queue did not answer; ask for the report again.",
      );
      throw error;
    }
    return (await this.deps.reports.find(report.id)) ?? report;
  }

  list(userId: number, page: number, perPage = 20): Promise<Page<Report>> {
    return this.deps.reports.listForUser(userId, page, perPage);
  }

  /** The user's own report, if it exists. */
  async get(userId: number, id: number): Promise<Report> {
    const report = await this.deps.reports.find(id);
    if (report === null || report.userId !== userId) {
      throw flowError(
        "E_REPORT_NOT_FOUND",
        "You have no report with this id. Your reports are listed on the reports page.",
      );
    }
    return report;
  }

  /** Where the ready report's file is; E_REPORT_NOT_READY until the job has made it. */
  async file(userId: number, id: number): Promise<{ report: Report; absolutePath: string }> {
    const report = await this.get(userId, id);
    if (report.state !== "ready" || report.fileKey === null) {
      throw flowError(
        "E_REPORT_NOT_READY",
        report.state === "failed"
          ? "This report failed, so it has no file. Ask for a new one on the reports page."
          : "This report is still being made. You will get a mail when it is ready.",
      );
    }
    const absolutePath = resolveStorageKey(this.deps.storagePath, report.fileKey);
    try {
      await stat(absolutePath);
    } catch {
      throw flowError(
        "E_REPORT_NOT_FOUND",
        "This report's file is gone from storage. Ask for a new one on the reports page.",
      );
    }
    return { report, absolutePath };
  }
}
