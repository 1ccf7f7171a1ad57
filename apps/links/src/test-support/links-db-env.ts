/**
 * links_db for tests, migrated, on either SQL driver: a temp SQLite file or a
 * scratch MariaDB database (dropped by cleanup), plus an optional Redis under a
 * scratch prefix (cleared by cleanup). Touches nothing else.
 */
import { generateAppKey, loadConfig, type MargConfig } from "@marg/core/config";
import { createDatabases, createMigrator, type Databases } from "@marg/core/db";
import type { RedisConnections } from "@marg/core/redis";
import {
  createScratchMysqlDatabase,
  createScratchRedisPrefix,
  createTempDir,
  TEST_MYSQL,
} from "@marg/core/testing";
import type { Kysely } from "kysely";
import { linksMigrations } from "../db/migrations.js";
import type { LinksTables } from "../db/schema.js";
import { openScratchRedisAt } from "./scratch-redis-at.js";

export type SqlDriverName = "sqlite" | "mysql";

export interface LinksDbEnv {
  /** Where the installation lives and the variables it was loaded with (another process can open the same). */
  readonly root: string;
  readonly env: Readonly<Record<string, string>>;
  readonly config: MargConfig;
  readonly databases: Databases;
  readonly db: Kysely<LinksTables>;
  /** Inserts a bare link row and returns its id. */
  addLink(slug: string, ownerId?: number): Promise<number>;
  cleanup(): Promise<void>;
}

export async function openLinksDb(driver: SqlDriverName, label: string): Promise<LinksDbEnv> {
  const dir = createTempDir(`links-${label}`);
  const scratch = driver === "mysql" ? await createScratchMysqlDatabase(`links_${label}`) : undefined;
  const env: Record<string, string> = {
    APP_KEY: generateAppKey(),
    MARG_APPS: "",
    LOG_LEVEL: "silent",
    ...(scratch === undefined
      ? { DB_CONNECTION: "sqlite", DB_DATABASE: "links_db" }
      : {
          DB_CONNECTION: "mysql",
          DB_HOST: TEST_MYSQL.host,
          DB_PORT: String(TEST_MYSQL.port),
          DB_USERNAME: TEST_MYSQL.user,
          DB_PASSWORD: TEST_MYSQL.password,
          DB_DATABASE: scratch.name,
        }),
  };
  const config = loadConfig({ app: "links", root: dir.path, env });
  const databases = createDatabases(config, { readReplicas: false });
  await createMigrator(() => databases, [linksMigrations]).latest();
  const db = databases.connection<LinksTables>("app");
  return {
    root: dir.path,
    env,
    config,
    databases,
    db,
    async addLink(slug, ownerId = 1) {
      const result = await db
        .insertInto("links")
        .values({
          slug,
          target_url: `https://example.com/${slug}`,
          title: "",
          enabled: 1,
          owner_id: ownerId,
          created_at: 1,
          updated_at: 1,
        })
        .executeTakeFirstOrThrow();
      return Number(result.insertId);
    },
    async cleanup() {
      await databases.destroy();
      await scratch?.drop();
      dir.remove();
    },
  };
}

export interface ScratchRedis {
  readonly redis: RedisConnections;
  readonly prefix: string;
  /** Deletes every key under the prefix (SCAN, never FLUSHDB). */
  clear(): Promise<void>;
  cleanup(): Promise<void>;
}

/** Redis connections under a fresh prefix, like the platform's. */
export function openScratchRedis(label: string): ScratchRedis {
  const scratch = createScratchRedisPrefix(label);
  const redis = openScratchRedisAt(scratch.prefix);
  return {
    redis,
    prefix: scratch.prefix,
    clear: () => scratch.clear(),
    async cleanup() {
      await redis.quit();
      await scratch.clear();
    },
  };
}
