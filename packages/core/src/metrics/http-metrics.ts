import type { FastifyInstance } from "fastify";
import type { MargMetrics } from "./types.js";

/** Requests no route answered share one label, so scanners cannot blow up the series count. */
export const UNMATCHED_ROUTE = "(unmatched)";

interface HttpSeries {
  inc(): void;
  observe(seconds: number): void;
}

/**
 * Counts every response of `app` and observes its latency, labelled by the
 * route pattern (`/tasks/:id`, never `/tasks/42`) and the status code.
 *
 * The labelled children are made once per (method, route, status) and kept: the
 * series are few (routes × statuses) and a request then costs one map lookup
 * instead of a labels object built, and checked against the label names, for the
 * counter and again for the histogram. A child reads its metric's current values
 * on every call, so a `reset()` of the metric is still seen.
 */
export function installHttpMetrics(app: FastifyInstance, metrics: MargMetrics, appId: string): void {
  const series = new Map<string, HttpSeries>();
  const seriesOf = (method: string, route: string, status: number): HttpSeries => {
    const key = `${method} ${status} ${route}`;
    let found = series.get(key);
    if (found === undefined) {
      const labels = { app: appId, method, route, status: String(status) };
      const counter = metrics.httpRequests.labels(labels);
      const histogram = metrics.httpDuration.labels(labels);
      found = { inc: () => counter.inc(), observe: (seconds) => histogram.observe(seconds) };
      series.set(key, found);
    }
    return found;
  };
  app.addHook("onResponse", (request, reply, done) => {
    const found = seriesOf(request.method, request.routeOptions.url ?? UNMATCHED_ROUTE, reply.statusCode);
    found.inc();
    found.observe(reply.elapsedTime / 1000);
    done();
  });
}
