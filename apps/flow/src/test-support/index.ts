/**
 * `@marg/flow/testing`: what suites and benchmarks outside flow drive it with — its
 * JSON API client, and the report repository and service the export benchmark times.
 */

export type { FlowTables } from "../flow-tables.js";
export { FLOW_APP } from "../jobs/flow-job-deps.js";
export { ReportRepository } from "../reports/repository.js";
export { ReportService } from "../reports/service.js";
export { type ApiClient, api, csrfTokenOf, type JsonResponse, uploadFile } from "./api-client.js";
