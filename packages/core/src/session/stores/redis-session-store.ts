import type { Redis } from "ioredis";
import {
  DEVICE_FIELD,
  type SessionChange,
  type SessionRecord,
  type SessionStore,
  type SessionSummary,
} from "../types.js";
import {
  DESTROY_SCRIPT,
  DESTROY_USER_SCRIPT,
  READ_SCRIPT,
  runScript,
  TOUCH_SCRIPT,
  WRITE_SCRIPT,
} from "./redis-session-scripts.js";

/** Where the keys live, and (under Sentinel) how many replicas sign-ins and sign-outs wait for. */
export interface RedisSessionStoreOptions {
  readonly prefix: string;
  readonly replication?: { readonly replicas: number; readonly timeoutMs: number };
}

/**
 * Sessions in Redis, one hash per session at `${prefix}session:<storeKey>`:
 * `m:created`, `m:seen`, `m:user` (metadata) and `d:<field>` (encoded values).
 * The key's TTL is the session's expiry. A user's sessions are indexed in the set
 * `${prefix}session_user:<userId>`, which lives as long as its longest session
 * may. Scripts touch the index key by name, so Redis Cluster is not supported
 * (MARG's HA plan is Sentinel, where this is fine).
 *
 * With `replication` (set under Sentinel), every write that signs a user in or out
 * (a write naming `userId`, a destroy) is followed by `WAIT replicas timeoutMs`:
 * the answer reaches the browser only once a replica has the change (or the
 * timeout passed), so a failover right after cannot bring a signed-out session back.
 */
export class RedisSessionStore implements SessionStore {
  readonly #redis: Redis;
  readonly #sessionPrefix: string;
  readonly #userPrefix: string;
  readonly #replication: RedisSessionStoreOptions["replication"];

  constructor(redis: Redis, options: RedisSessionStoreOptions) {
    this.#redis = redis;
    this.#sessionPrefix = `${options.prefix}session:`;
    this.#userPrefix = `${options.prefix}session_user:`;
    this.#replication = options.replication;
  }

  /**
   * Waits (bounded) until a replica acknowledged this connection's writes so far.
   * Returns how many did; with none reachable it returns 0 after the timeout and the
   * write stands on the primary alone (the window docs/scaling.md describes).
   */
  async waitForReplicas(): Promise<number> {
    if (this.#replication === undefined) return 0;
    return await this.#redis.wait(this.#replication.replicas, this.#replication.timeoutMs);
  }

  async read(storeKey: string): Promise<SessionRecord | null> {
    const now = Date.now();
    const reply = (await runScript(this.#redis, READ_SCRIPT, [this.#key(storeKey)], [])) as [
      string[],
      number,
    ];
    const [flat, pttl] = reply;
    const ttl = Number(pttl ?? -2);
    const data: Record<string, string> = {};
    let created: string | undefined;
    let seen: string | undefined;
    let user: string | undefined;
    for (let i = 0; i + 1 < flat.length; i += 2) {
      const field = flat[i] ?? "";
      const value = flat[i + 1] ?? "";
      if (field.startsWith("d:")) data[field.slice(2)] = value;
      else if (field === "m:created") created = value;
      else if (field === "m:seen") seen = value;
      else if (field === "m:user") user = value;
    }
    if (ttl === -2 || created === undefined) return null;
    return {
      data,
      userId: user ?? null,
      createdAt: Number(created),
      lastActivity: Number(seen ?? created),
      // A key without a TTL is never written by this store; treat it as already due.
      expiresAt: ttl < 0 ? now : now + ttl,
    };
  }

  async write(storeKey: string, change: SessionChange): Promise<boolean> {
    const now = Date.now();
    const pairs = Object.entries(change.set).flat();
    const result = await runScript(
      this.#redis,
      WRITE_SCRIPT,
      [this.#key(storeKey)],
      [
        change.mode,
        storeKey,
        Math.max(1, change.expiresAt - now),
        change.lastActivity,
        change.createdAt,
        change.userId === undefined ? "keep" : "set",
        change.userId ?? "",
        this.#userPrefix,
        Math.max(1, change.deadline - now),
        pairs.length / 2,
        ...pairs,
        ...change.unset,
      ],
    );
    // Signing in or out: the one change a failover must not lose.
    if (change.userId !== undefined) await this.waitForReplicas();
    return result === 1;
  }

  async destroy(storeKey: string): Promise<void> {
    await runScript(this.#redis, DESTROY_SCRIPT, [this.#key(storeKey)], [storeKey, this.#userPrefix]);
    await this.waitForReplicas();
  }

  async touch(storeKey: string, times: { lastActivity: number; expiresAt: number }): Promise<boolean> {
    const ttl = Math.max(1, times.expiresAt - Date.now());
    const result = await runScript(
      this.#redis,
      TOUCH_SCRIPT,
      [this.#key(storeKey)],
      [ttl, times.lastActivity],
    );
    return result === 1;
  }

  async listUserSessions(userId: string): Promise<SessionSummary[]> {
    const index = this.#userPrefix + userId;
    const storeKeys = await this.#redis.smembers(index);
    if (storeKeys.length === 0) return [];
    const now = Date.now();
    const pipeline = this.#redis.pipeline();
    for (const storeKey of storeKeys) {
      pipeline
        .hmget(this.#key(storeKey), "m:created", "m:seen", "m:user", `d:${DEVICE_FIELD}`)
        .pttl(this.#key(storeKey));
    }
    const replies = (await pipeline.exec()) ?? [];
    const live: SessionSummary[] = [];
    const stale: string[] = [];
    storeKeys.forEach((storeKey, i) => {
      const [created, seen, owner, device] = (replies[i * 2]?.[1] ?? []) as (string | null)[];
      const ttl = Number(replies[i * 2 + 1]?.[1] ?? -2);
      if (created === null || created === undefined || owner !== userId || ttl < 0) {
        stale.push(storeKey);
        return;
      }
      const createdAt = Number(created);
      live.push({
        storeKey,
        userId,
        createdAt,
        lastActivity: Number(seen ?? created),
        expiresAt: now + ttl,
        device: device ?? null,
      });
    });
    if (stale.length > 0) await this.#redis.srem(index, ...stale);
    return live.sort((a, b) => b.lastActivity - a.lastActivity);
  }

  async destroyUserSessions(userId: string): Promise<number> {
    const result = await runScript(
      this.#redis,
      DESTROY_USER_SCRIPT,
      [this.#userPrefix + userId],
      [this.#sessionPrefix],
    );
    await this.waitForReplicas();
    return Number(result);
  }

  /** Redis expires session keys itself; index sets expire with their longest session. */
  async sweepExpired(): Promise<number> {
    return 0;
  }

  #key(storeKey: string): string {
    return this.#sessionPrefix + storeKey;
  }
}
