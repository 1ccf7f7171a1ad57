import type { FastifyInstance } from "fastify";
import { createMetricsAccess, type MetricsAccessConfig } from "./metrics-access.js";
import type { MargMetrics } from "./types.js";

/**
 * `GET /metrics` in Prometheus' text format, for METRICS_ALLOW addresses or a
 * bearer METRICS_TOKEN; everyone else gets the ordinary 404 page, so the
 * endpoint does not even admit it exists.
 */
export function registerMetricsRoute(
  app: FastifyInstance,
  options: { metrics: MargMetrics; access: MetricsAccessConfig },
): void {
  const canRead = createMetricsAccess(options.access);
  app.get("/metrics", { config: { rateLimit: false } }, async (request, reply) => {
    if (!canRead({ ip: request.ip, authorization: request.headers.authorization })) {
      return reply.callNotFound();
    }
    const { contentType, body } = await options.metrics.scrape();
    return reply.header("cache-control", "no-store").type(contentType).send(body);
  });
}
