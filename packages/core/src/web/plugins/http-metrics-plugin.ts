import type { FastifyPluginCallback } from "fastify";
import fastifyPlugin from "fastify-plugin";
import type { Redis } from "ioredis";
import {
  installHttpMetrics,
  instrumentRedisClient,
  type MargMetrics,
  type MetricsAccessConfig,
  type QueueSizeSource,
  registerMetricsRoute,
} from "../../metrics/index.js";
import { PLUGIN } from "./plugin-names.js";

export interface HttpMetricsOptions {
  readonly metrics: MargMetrics;
  readonly appId: string;
  /** Who may read /metrics (METRICS_ALLOW, METRICS_TOKEN). */
  readonly access: MetricsAccessConfig;
  /** Counted per command when the platform has one. */
  readonly redis?: Redis | undefined;
  /** The queues' sizes, read when /metrics is scraped. */
  readonly queueSizes: QueueSizeSource;
}

/**
 * Counts and times every response (by route pattern and status), serves /metrics,
 * and reports Redis commands and queue sizes. Registered before the gates
 * (maintenance, session) so a refused request is counted too.
 */
const httpMetrics: FastifyPluginCallback<HttpMetricsOptions> = (app, options, done) => {
  const { metrics } = options;
  installHttpMetrics(app, metrics, options.appId);
  if (options.redis !== undefined) instrumentRedisClient(options.redis, metrics);
  registerMetricsRoute(app, { metrics, access: options.access });
  const stopQueueSizes = metrics.addQueueSizeSource(options.queueSizes);
  app.addHook("onClose", async () => void stopQueueSizes());
  done();
};

export const httpMetricsPlugin = fastifyPlugin(httpMetrics, {
  name: PLUGIN.httpMetrics,
  fastify: "5.x",
  dependencies: [PLUGIN.requestScope],
});
