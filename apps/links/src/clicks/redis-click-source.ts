import { randomUUID } from "node:crypto";
import type { RedisConnections } from "@marg/core/redis";
import type { Kysely } from "kysely";
import type { LinksTables } from "../db/schema.js";
import { redisClickKeys } from "./redis-click-keys.js";
import { applyFlushOnce, type FlushHooks } from "./repository.js";
import type { ClickCount } from "./types.js";
import { parseCell, sumCells } from "./types.js";

/** Renames the live hash away and remembers it, atomically: a crash leaves either nothing done or a pending hash. */
const DETACH_LIVE = `
if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
redis.call('RENAME', KEYS[1], KEYS[2])
redis.call('SADD', KEYS[3], KEYS[2])
return 1`;

export interface SourceReport {
  readonly flushes: number;
  readonly clicks: number;
}

/**
 * Moves the Redis counts into link_clicks_daily, crash-safe at every step:
 *
 * 1. finish every hash a previous flush left in `links:clicks:flushing`;
 * 2. atomically RENAME `links:clicks:live` to `links:clicks:flush:<id>` and add
 *    it to that set (clicks arriving now start a fresh live hash: none is lost);
 * 3. read it and, in one transaction, record `<id>` in link_click_flushes and
 *    upsert the counts (`applyFlushOnce`);
 * 4. delete the hash and its set entry.
 *
 * A crash before 3 commits leaves the hash pending: the next run applies it.
 * A crash after 3 commits but before 4 leaves it pending too, and the next run
 * finds `<id>` already recorded, adds nothing and just deletes it. Exactly once.
 */
export class RedisClickSource {
  readonly name = "redis";
  readonly #redis: RedisConnections;
  readonly #db: Kysely<LinksTables>;
  readonly #keys;

  constructor(redis: RedisConnections, db: Kysely<LinksTables>) {
    this.#redis = redis;
    this.#db = db;
    this.#keys = redisClickKeys(redis);
  }

  async flush(options: { now: number; hooks?: FlushHooks; signal?: AbortSignal }): Promise<SourceReport> {
    const client = this.#redis.client;
    let flushes = 0;
    let clicks = 0;
    const leftovers = await client.smembers(this.#keys.flushing);
    const fresh = this.#keys.flushKey(`${options.now}-${randomUUID()}`);
    const detached = await client.eval(DETACH_LIVE, 3, this.#keys.live, fresh, this.#keys.flushing);
    const hashes = detached === 1 ? [...leftovers, fresh] : leftovers;
    for (const hash of hashes) {
      options.signal?.throwIfAborted();
      const counts = await this.#read(hash);
      const applied = await applyFlushOnce(
        this.#db,
        { id: this.#keys.flushIdOf(hash), source: this.name, counts, now: options.now },
        options.hooks,
      );
      await options.hooks?.afterCommit?.(this.#keys.flushIdOf(hash));
      await client.multi().del(hash).srem(this.#keys.flushing, hash).exec();
      if (applied) {
        flushes += 1;
        clicks += counts.reduce((sum, count) => sum + count.count, 0);
      }
    }
    return { flushes, clicks };
  }

  async #read(hash: string): Promise<ClickCount[]> {
    const fields = await this.#redis.client.hgetall(hash);
    const counts: ClickCount[] = [];
    for (const [cell, value] of Object.entries(fields)) {
      const click = parseCell(cell);
      const count = Number(value);
      // A field we did not write is left out rather than failing every flush forever.
      if (click !== undefined && Number.isSafeInteger(count) && count > 0) counts.push({ ...click, count });
    }
    return sumCells(counts);
  }
}
