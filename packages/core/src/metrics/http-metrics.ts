import type { FastifyInstance } from "fastify";
import type { MargMetrics } from "./types.js";

/** Requests no route answered share one label, so scanners cannot blow up the series count. */
export const UNMATCHED_ROUTE = "(unmatched)";

/**
 * Counts every response of `app` and observes its latency, labelled by the
 * route pattern (`/tasks/:id`, never `/tasks/42`) and the status code.
 */
export function installHttpMetrics(app: FastifyInstance, metrics: MargMetrics, appId: string): void {
  app.addHook("onResponse", (request, reply, done) => {
    const labels = {
      app: appId,
      method: request.method,
      route: request.routeOptions.url ?? UNMATCHED_ROUTE,
      status: String(reply.statusCode),
    };
    metrics.httpRequests.inc(labels);
    metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
    done();
  });
}
