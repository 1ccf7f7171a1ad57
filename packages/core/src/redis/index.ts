export { type CreateRedisConnectionsOptions, createRedisConnections } from "./create-redis-connections.js";
export { REDIS_ERRORS } from "./errors.js";
export type { RedisLogger } from "./outage-monitor.js";
export type { RedisConnections, RedisRole, RedisSettings, RedisTuning } from "./types.js";
