/**
 * Metrics: MARG's Prometheus instruments (prom-client), /metrics behind an
 * address list or a token, and wrappers that feed the instruments from the
 * session store, the Redis client, the queue backend and SQL pools.
 * See docs/operations-health.md.
 */
export { type AddressAllowList, createAddressAllowList, isAddressOrCidr } from "./address-allow-list.js";
export { type CreateMetricsOptions, createMargMetrics, margMetrics } from "./create-metrics.js";
export { installHttpMetrics, UNMATCHED_ROUTE } from "./http-metrics.js";
export { instrumentQueueBackend, primeJobMetrics } from "./instrument-queue-backend.js";
export { instrumentRedisClient } from "./instrument-redis-client.js";
export { instrumentSessionStore } from "./instrument-session-store.js";
export { createMetricsAccess, type MetricsAccess, type MetricsAccessConfig } from "./metrics-access.js";
export { registerMetricsRoute } from "./metrics-route.js";
export { type MetricsServer, startMetricsServer } from "./metrics-server.js";
export type { MargMetrics, QueueSizeSource, QueueSizes } from "./types.js";
