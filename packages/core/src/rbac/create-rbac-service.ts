import type { Kysely } from "kysely";
import type { CacheStore } from "../cache/types.js";
import type { MargConfig } from "../config/config-types.js";
import { RbacRepository } from "./rbac-repository.js";
import type { RbacTables } from "./rbac-schema.js";
import { RbacService, type RbacServiceOptions } from "./rbac-service.js";
import type { UserDirectory } from "./types.js";

export interface RbacServiceDeps {
  /** The shared `rbac` connection. */
  readonly db: Kysely<RbacTables>;
  /** The process's cache store (createCacheStore): Redis, the cache table, or memory. */
  readonly store?: CacheStore;
  readonly users?: UserDirectory;
  readonly app?: string;
  readonly logger?: RbacServiceOptions["logger"];
  readonly onChange?: RbacServiceOptions["onChange"];
  readonly onCacheLookup?: RbacServiceOptions["onCacheLookup"];
}

/**
 * RBAC for one process from its config: RBAC_CACHE_ENABLED and RBAC_CACHE_TTL.
 *
 * @example
 * const rbac = createRbacService(config, {
 *   db: databases.connection<RbacTables>("rbac"),
 *   store: createCacheStore(config, { redis: redis.client, db: databases.connection("rbac") }),
 *   users: new SqlUserDirectory(databases.connection("rbac")),
 *   app: config.app.id,
 * });
 */
export function createRbacService(config: Pick<MargConfig, "rbac">, deps: RbacServiceDeps): RbacService {
  return new RbacService({
    repository: new RbacRepository(deps.db),
    cacheEnabled: config.rbac.cacheEnabled,
    ttlSeconds: config.rbac.cacheTtlSeconds,
    ...(deps.store === undefined ? {} : { store: deps.store }),
    ...(deps.users === undefined ? {} : { users: deps.users }),
    ...(deps.app === undefined ? {} : { app: deps.app }),
    ...(deps.logger === undefined ? {} : { logger: deps.logger }),
    ...(deps.onChange === undefined ? {} : { onChange: deps.onChange }),
    ...(deps.onCacheLookup === undefined ? {} : { onCacheLookup: deps.onCacheLookup }),
  });
}
