import type { RedisConnections } from "@marg/core/redis";
import type { InvalidationBus } from "./slug-cache.js";

/**
 * Slug invalidations over Redis pub/sub on `${REDIS_PREFIX}links:slug-invalidated`.
 * Uses the platform's shared subscriber connection; subscribes on first use.
 */
export class RedisInvalidationBus implements InvalidationBus {
  readonly #redis: RedisConnections;
  readonly #channel: string;
  #listener: ((channel: string, message: string) => void) | undefined;

  constructor(redis: RedisConnections) {
    this.#redis = redis;
    this.#channel = redis.prefixed("links:slug-invalidated");
  }

  async publish(slug: string): Promise<void> {
    await this.#redis.client.publish(this.#channel, slug);
  }

  subscribe(onSlug: (slug: string) => void): void {
    const subscriber = this.#redis.subscriber();
    this.#listener = (channel, message) => {
      if (channel === this.#channel) onSlug(message);
    };
    subscriber.on("message", this.#listener);
    subscriber.subscribe(this.#channel).catch(() => {
      // Retried by ioredis on reconnect (it re-subscribes); the local TTL bounds staleness meanwhile.
    });
  }

  async close(): Promise<void> {
    if (this.#listener === undefined) return;
    const subscriber = this.#redis.subscriber();
    subscriber.off("message", this.#listener);
    this.#listener = undefined;
    await subscriber.unsubscribe(this.#channel).catch(() => undefined);
  }
}
