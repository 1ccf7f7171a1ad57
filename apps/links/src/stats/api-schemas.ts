import { apiErrorResponses } from "@marg/core/web";
import { data, idParams, security, TAGS } from "../links/api-schemas.js";

/** GET /api/v1/links/{id}/stats, for the OpenAPI description (zod validates the query). */
export const linkStatsSchema = {
  tags: TAGS,
  summary: "Clicks per day and top referrers over the last 7, 30 or 90 days",
  security,
  params: idParams,
  querystring: { type: "object", properties: { days: { type: "integer", enum: [7, 30, 90], default: 30 } } },
  response: {
    200: data({
      type: "object",
      properties: {
        days: {
          type: "array",
          items: { type: "object", properties: { day: { type: "string" }, clicks: { type: "integer" } } },
        },
        referrers: {
          type: "array",
          items: { type: "object", properties: { host: { type: "string" }, clicks: { type: "integer" } } },
        },
        total: { type: "integer" },
        pending: { type: "integer", description: "Included clicks not yet flushed to the daily totals" },
      },
    }),
    ...apiErrorResponses(404, 422),
  },
};
