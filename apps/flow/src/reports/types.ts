export const REPORT_STATES = ["queued", "running", "ready", "failed"] as const;
export type ReportState = (typeof REPORT_STATES)[number];

/** A report as pages, the API and the job see it. */
export interface Report {
  readonly id: number;
  readonly userId: number;
  readonly kind: "tasks";
  readonly scope: "all" | "mine";
  /** Inclusive `YYYY-MM-DD` range (UTC days). */
  readonly from: string;
  readonly to: string;
  readonly state: ReportState;
  readonly fileKey: string | null;
  readonly rowCount: number | null;
  readonly error: string | null;
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** The CSV's file name, for the download and the mailed attachment alike. */
export function reportFileName(report: Pick<Report, "from" | "to">): string {
  return `tasks-${report.from}-to-${report.to}.csv`;
}
