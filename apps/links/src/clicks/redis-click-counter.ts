import type { RedisConnections } from "@marg/core/redis";
import { redisClickKeys } from "./redis-click-keys.js";
import { type Click, type ClickCount, type ClickCounter, cellOf, parseCell, sumCells } from "./types.js";

/**
 * Clicks as HINCRBY on one Redis hash: one round trip per click, atomic across
 * every server. `record` resolves when Redis has applied it, so an acknowledged
 * click is never lost by MARG (the flush renames the hash away atomically).
 */
export class RedisClickCounter implements ClickCounter {
  readonly driver = "redis";
  readonly #redis: RedisConnections;
  readonly #keys;

  constructor(redis: RedisConnections) {
    this.#redis = redis;
    this.#keys = redisClickKeys(redis);
  }

  async record(click: Click): Promise<void> {
    await this.#redis.client.hincrby(this.#keys.live, cellOf(click), 1);
  }

  async pending(linkId: number): Promise<ClickCount[]> {
    const client = this.#redis.client;
    const hashes = [this.#keys.live, ...(await client.smembers(this.#keys.flushing))];
    const counts: ClickCount[] = [];
    for (const hash of hashes) {
      let cursor = "0";
      do {
        const [next, flat] = await client.hscan(hash, cursor, "MATCH", `${linkId}|*`, "COUNT", 1000);
        cursor = next;
        for (let i = 0; i + 1 < flat.length; i += 2) {
          const click = parseCell(flat[i] ?? "");
          const count = Number(flat[i + 1]);
          if (click !== undefined && Number.isSafeInteger(count)) counts.push({ ...click, count });
        }
      } while (cursor !== "0");
    }
    return sumCells(counts);
  }

  async drain(): Promise<void> {}

  async close(): Promise<void> {}
}
