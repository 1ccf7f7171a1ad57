// The public face of @marg/links: the app (src/app.ts) and what the worker and the CLI import.
export { app, createLinksApp } from "./app.js";
export { createFlushClicksJob, flushClicksSpec } from "./clicks/flush-clicks-job.js";
export { flushClicks } from "./clicks/service.js";
export type { ClickCounter } from "./clicks/types.js";
export { LINKS_ERRORS } from "./errors.js";
export { createLinksExportJob } from "./export/job.js";
export { type LinksExportPayload, linksExportJob, linksExportPayload } from "./export/job-spec.js";
