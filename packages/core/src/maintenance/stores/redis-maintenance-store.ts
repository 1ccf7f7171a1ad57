import type { Redis } from "ioredis";
import { maintenanceStoreUnavailable } from "../errors.js";
import {
  type MaintenanceScope,
  type MaintenanceState,
  type MaintenanceStore,
  parseMaintenanceState,
} from "../types.js";

/**
 * Maintenance records in one Redis hash, `${REDIS_PREFIX}maintenance`, field =
 * scope. One HGETALL answers "is anything down?" for every app at once.
 */
export class RedisMaintenanceStore implements MaintenanceStore {
  readonly driver = "redis";
  readonly #redis: Redis;
  readonly #key: string;

  constructor(redis: Redis, options: { readonly prefix: string }) {
    this.#redis = redis;
    this.#key = `${options.prefix}maintenance`;
  }

  async list(): Promise<MaintenanceState[]> {
    const fields = await this.#run(() => this.#redis.hgetall(this.#key));
    return Object.values(fields)
      .map(parseMaintenanceState)
      .filter((state): state is MaintenanceState => state !== undefined);
  }

  async put(state: MaintenanceState): Promise<void> {
    await this.#run(() => this.#redis.hset(this.#key, state.scope, JSON.stringify(state)));
  }

  async remove(scope: MaintenanceScope): Promise<boolean> {
    return (await this.#run(() => this.#redis.hdel(this.#key, scope))) > 0;
  }

  async removeAll(): Promise<number> {
    const [[, count]] = (await this.#run(() =>
      this.#redis.multi().hlen(this.#key).del(this.#key).exec(),
    )) as [[unknown, number]];
    return count;
  }

  async #run<T>(command: () => Promise<T>): Promise<T> {
    try {
      return await command();
    } catch (error) {
      throw maintenanceStoreUnavailable("redis", error);
    }
  }
}
