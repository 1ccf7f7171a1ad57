import type { Report } from "./types.js";

export function presentReport(report: Report) {
  return {
    id: report.id,
    kind: report.kind,
    scope: report.scope,
    from: report.from,
    to: report.to,
    state: report.state,
    rowCount: report.rowCount,
    error: report.error,
    downloadUrl: report.state === "ready" ? `/reports/${report.id}/download` : null,
    createdAt: new Date(report.createdAt).toISOString(),
    updatedAt: new Date(report.updatedAt).toISOString(),
  };
}

export const reportJson = {
  type: "object",
  properties: {
    id: { type: "integer" },
    kind: { type: "string", enum: ["tasks"] },
    scope: { type: "string", enum: ["all", "mine"] },
    from: { type: "string", format: "date" },
    to: { type: "string", format: "date" },
    state: { type: "string", enum: ["queued", "running", "ready", "failed"] },
    rowCount: { type: "integer", nullable: true },
    error: { type: "string", nullable: true },
    downloadUrl: { type: "string", nullable: true },
    createdAt: { type: "string", format: "date-time" },
    updatedAt: { type: "string", format: "date-time" },
  },
  required: ["id", "kind", "scope", "from", "to", "state", "createdAt", "updatedAt"],
} as const;
