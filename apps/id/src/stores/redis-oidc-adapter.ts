import type { RedisConnections } from "@marg/core/redis";
import {
  type AdapterPayload,
  epochSeconds,
  GRANTABLE_MODELS,
  type OidcAdapter,
  type OidcAdapterFactory,
} from "./oidc-adapter.js";

/**
 * The Redis keys of the provider's models, all under REDIS_PREFIX (so `KEYS
 * marg_database_*` shows them with the rest of the ecosystem):
 * - `oidc:<Model>:<id>`: a hash (`payload` JSON, `consumed` epoch seconds), expiring with it;
 * - `oidc:grant:<grantId>`: the list of keys belonging to a grant;
 * - `oidc:uid:<uid>` / `oidc:userCode:<code>`: the id of the session / device code.
 */
export function redisOidcKeys(redis: Pick<RedisConnections, "prefixed">) {
  return {
    payload: (model: string, id: string) => redis.prefixed(`oidc:${model}:${id}`),
    grant: (grantId: string) => redis.prefixed(`oidc:grant:${grantId}`),
    uid: (uid: string) => redis.prefixed(`oidc:uid:${uid}`),
    userCode: (code: string) => redis.prefixed(`oidc:userCode:${code}`),
  };
}

/**
 * oidc-provider's models in Redis (the reference adapter's layout): a hash per
 * entry (`payload` JSON, `consumed` once used) with its TTL; a grant's keys in a
 * list so revoking a grant deletes every code and token of it at once.
 */
export class RedisOidcAdapter implements OidcAdapter {
  readonly #keys: ReturnType<typeof redisOidcKeys>;

  constructor(
    private readonly redis: RedisConnections,
    private readonly model: string,
  ) {
    this.#keys = redisOidcKeys(redis);
  }

  async upsert(id: string, payload: AdapterPayload, expiresIn?: number): Promise<void> {
    const key = this.#keys.payload(this.model, id);
    const multi = this.redis.client.multi();
    // Replaced whole: an upsert also forgets an earlier `consumed`.
    multi.del(key);
    multi.hset(key, "payload", JSON.stringify(payload));
    if (expiresIn) multi.expire(key, expiresIn);
    if (GRANTABLE_MODELS.has(this.model) && payload.grantId) {
      const grantKey = this.#keys.grant(payload.grantId);
      multi.rpush(grantKey, key);
      // The grant's list lives as long as its longest member.
      if (expiresIn) multi.expire(grantKey, expiresIn, "GT");
      if (expiresIn) multi.expire(grantKey, expiresIn, "NX");
    }
    if (payload.userCode) {
      const codeKey = this.#keys.userCode(payload.userCode);
      if (expiresIn) multi.set(codeKey, id, "EX", expiresIn);
      else multi.set(codeKey, id);
    }
    if (payload.uid) {
      const uidKey = this.#keys.uid(payload.uid);
      if (expiresIn) multi.set(uidKey, id, "EX", expiresIn);
      else multi.set(uidKey, id);
    }
    await multi.exec();
  }

  async find(id: string): Promise<AdapterPayload | undefined> {
    const entry = await this.redis.client.hgetall(this.#keys.payload(this.model, id));
    if (entry.payload === undefined) return undefined;
    const payload = JSON.parse(entry.payload) as AdapterPayload;
    return entry.consumed === undefined ? payload : { ...payload, consumed: Number(entry.consumed) };
  }

  async findByUid(uid: string): Promise<AdapterPayload | undefined> {
    const id = await this.redis.client.get(this.#keys.uid(uid));
    return id === null ? undefined : this.find(id);
  }

  async findByUserCode(userCode: string): Promise<AdapterPayload | undefined> {
    const id = await this.redis.client.get(this.#keys.userCode(userCode));
    return id === null ? undefined : this.find(id);
  }

  async consume(id: string): Promise<void> {
    // One step: HSET on a key that just expired would recreate it without a TTL.
    await this.redis.client.eval(
      "if redis.call('EXISTS', KEYS[1]) == 1 then return redis.call('HSET', KEYS[1], 'consumed', ARGV[1]) end return 0",
      1,
      this.#keys.payload(this.model, id),
      String(epochSeconds(Date.now())),
    );
  }

  async destroy(id: string): Promise<void> {
    await this.redis.client.del(this.#keys.payload(this.model, id));
  }

  async revokeByGrantId(grantId: string): Promise<void> {
    const grantKey = this.#keys.grant(grantId);
    const keys = await this.redis.client.lrange(grantKey, 0, -1);
    await this.redis.client.del(...keys, grantKey);
  }
}

export function redisOidcAdapters(redis: RedisConnections): OidcAdapterFactory {
  return (model) => new RedisOidcAdapter(redis, model);
}
