import { apiErrorResponses, apiErrorSchema } from "@marg/core/web";
import { data, idParams, TAGS, unsafeSecurity } from "../links/api-schemas.js";

/** POST /api/v1/links/{id}/exports, for the OpenAPI description (zod validates the query). */
export const exportLinkSchema = {
  tags: TAGS,
  summary: "Queue a CSV of the link's clicks (links.export); it is mailed to you as an attachment",
  description:
    "Every row of the range, streamed from the database by the worker. A file above REPORT_ATTACH_MAX_MB (default 10) is not attached; the mail then says so.",
  security: unsafeSecurity,
  params: idParams,
  querystring: { type: "object", properties: { days: { type: "integer", enum: [7, 30, 90], default: 30 } } },
  response: {
    202: data({ type: "object", properties: { jobId: { type: "string" } } }),
    ...apiErrorResponses(404, 422),
    503: { ...apiErrorSchema, description: "The queue is not reachable (E_LINK_EXPORT_UNAVAILABLE)." },
  },
};
