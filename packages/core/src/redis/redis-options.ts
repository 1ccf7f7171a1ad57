import type { RedisOptions } from "ioredis";
import { backoffDelay, reconnectOnReadonly } from "./retry-policy.js";
import type { RedisRole, RedisSettings, RedisTuning } from "./types.js";

/** Human-readable target, safe for logs (never the password). */
export function describeEndpoint(settings: RedisSettings): string {
  if (settings.sentinels.length === 0) return `${settings.host}:${settings.port}`;
  const via = settings.sentinels.map((s) => `${s.host}:${s.port}`).join(", ");
  return `sentinel "${settings.sentinelService}" via ${via}`;
}

/**
 * ioredis options for one connection: standalone (host/port) or Sentinel
 * (when REDIS_SENTINELS is set), with MARG's retry policy. Per-role limits:
 * the general client fails commands after a few reconnect attempts so a web
 * request answers 503 instead of hanging; BullMQ and the subscriber wait forever.
 */
export function buildRedisOptions(
  settings: RedisSettings,
  role: RedisRole,
  tuning: RedisTuning,
): RedisOptions {
  const baseMs = tuning.retryBaseMs ?? 100;
  const maxMs = tuning.retryMaxMs ?? 5000;
  const retry = (attempt: number) => backoffDelay(attempt, baseMs, maxMs);
  const common: RedisOptions = {
    password: settings.password?.reveal(),
    db: settings.db,
    connectionName: `marg:${role}`,
    connectTimeout: tuning.connectTimeoutMs ?? 5000,
    retryStrategy: retry,
    reconnectOnError: reconnectOnReadonly,
    maxRetriesPerRequest: role === "commands" ? (tuning.commandRetries ?? 2) : null,
    // The general client gathers the commands issued in one event-loop turn (many
    // requests' session reads, click counts) into one write: measured faster for
    // every web scenario under load (docs/performance.md, "Decisions"). Not for
    // BullMQ's connections (blocking reads) or the subscriber.
    enableAutoPipelining: role === "commands" && (tuning.autoPipelining ?? true),
  };
  if (settings.sentinels.length === 0) {
    return { ...common, host: settings.host, port: settings.port };
  }
  return {
    ...common,
    sentinels: settings.sentinels.map((s) => ({ host: s.host, port: s.port })),
    name: settings.sentinelService,
    role: "master",
    sentinelPassword: settings.sentinelPassword?.reveal(),
    sentinelRetryStrategy: retry,
    // Subscribe to +switch-master so a failover is noticed at once, not on the next error.
    failoverDetector: true,
  };
}
