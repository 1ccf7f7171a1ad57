import type { Redis } from "ioredis";
import type { RedisConnectionConfig } from "../config/index.js";

/** The Redis part of the config: where to connect, and the prefix every key starts with. */
export type RedisSettings = RedisConnectionConfig & { readonly prefix: string };

/** Knobs for operators and tests; the defaults suit production. */
export interface RedisTuning {
  /** First reconnect delay; each further attempt doubles it. Default 100 ms. */
  readonly retryBaseMs?: number;
  /** Longest wait between reconnect attempts. Default 5000 ms. */
  readonly retryMaxMs?: number;
  /** How long one connection attempt may take. Default 5000 ms. */
  readonly connectTimeoutMs?: number;
  /** Reconnect attempts a command on the general client waits through before failing. Default 2. */
  readonly commandRetries?: number;
  /** ioredis auto-pipelining on the general client. Default true (see docs/performance.md). */
  readonly autoPipelining?: boolean;
}

/** What each connection is for; shows up in logs and in Redis' CLIENT LIST as `marg:<role>`. */
export type RedisRole = "commands" | "subscriber" | "bullmq";

/**
 * Every Redis connection a MARG process holds, made from one config.
 * Keys are never prefixed by ioredis (`keyPrefix` breaks BullMQ and SCAN):
 * code that names a key calls `prefixed(key)`.
 */
export interface RedisConnections {
  /** The general client for commands (GET, SET, EVAL…). Fails a command after a short outage instead of hanging. */
  readonly client: Redis;
  /** REDIS_PREFIX, e.g. `marg_database_`. */
  readonly prefix: string;
  /** Where this connects, for messages: `127.0.0.1:6379` or `sentinel "marg-redis" via h1:26379, h2:26379`. */
  readonly endpoint: string;
  /** `prefix + key`: the only way MARG code should name a key. */
  prefixed(key: string): string;
  /** The pub/sub connection (created on first use): subscribed clients can run no other command. */
  subscriber(): Redis;
  /**
   * A new connection for BullMQ (`maxRetriesPerRequest: null`, as its workers
   * require, and no `keyPrefix`): give BullMQ `prefix: prefixed("bull")` so
   * queue keys start with REDIS_PREFIX too.
   */
  bullmqConnection(): Redis;
  /** Round trip of a PING in ms; throws `E_REDIS_UNAVAILABLE` when Redis does not answer in time. */
  ping(timeoutMs?: number): Promise<number>;
  /** Closes every connection made here (QUIT when connected, else disconnect). */
  quit(): Promise<void>;
}
