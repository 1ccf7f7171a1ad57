import { writeFileSync } from "node:fs";
import path from "node:path";
import { generateAppKey, loadConfig, type MargConfig } from "../../config/index.js";
import {
  createScratchMysqlDatabase,
  createScratchRedisPrefix,
  createTempDir,
  TEST_MYSQL,
  TEST_REDIS,
} from "../../testing/index.js";
import { createQueueBackend } from "../create-queue-backend.js";
import { createQueueKysely } from "../drivers/queue-kysely-factory.js";
import { applyQueueMigrations } from "../queue-migrations.js";
import type { QueueBackend } from "../types.js";

/** Every real driver the conformance suites loop over. */
export const QUEUE_TEST_DRIVERS = ["redis", "database-sqlite", "database-mysql"] as const;
export type QueueTestDriver = (typeof QUEUE_TEST_DRIVERS)[number];

/** A scratch queue store for one suite: its env (for loadConfig or a child process), config, and cleanup. */
export interface PreparedQueueDriver {
  readonly name: QueueTestDriver;
  /** A temp folder: the installation root (holds .env.shared) and scratch files. */
  readonly root: string;
  /** Variables that point MARG at this scratch store (also written to `<root>/.env.shared`). */
  readonly env: Readonly<Record<string, string>>;
  readonly config: MargConfig;
  openBackend(): Promise<QueueBackend>;
  cleanup(): Promise<void>;
}

/**
 * Creates an isolated queue store for `driver`: a Redis key prefix, a SQLite
 * file or a MariaDB database, with the queue tables migrated.
 */
export async function prepareQueueDriver(
  driver: QueueTestDriver,
  label: string,
): Promise<PreparedQueueDriver> {
  const temp = createTempDir(`queue-${label}`);
  const env: Record<string, string> = {
    APP_KEY: generateAppKey(),
    APP_ENV: "testing",
    LOG_LEVEL: "warn",
    STORAGE_PATH: path.join(temp.path, "storage"),
    QUEUE_CONNECTION: driver === "redis" ? "redis" : "database",
    REDIS_HOST: TEST_REDIS.host,
    REDIS_PORT: String(TEST_REDIS.port),
    SESSION_DRIVER: "database",
    CACHE_STORE: "database",
  };
  let drop: () => Promise<void> = async () => {};
  if (driver === "redis") {
    const scratch = createScratchRedisPrefix(`q_${label}`);
    env.REDIS_PREFIX = scratch.prefix;
    drop = () => scratch.clear();
  } else if (driver === "database-mysql") {
    const scratch = await createScratchMysqlDatabase(`q_${label}`);
    Object.assign(env, {
      RBAC_DB_DRIVER: "mysql",
      RBAC_DB_HOST: TEST_MYSQL.host,
      RBAC_DB_PORT: String(TEST_MYSQL.port),
      RBAC_DB_DATABASE: scratch.name,
      RBAC_DB_USERNAME: TEST_MYSQL.user,
    });
    if (TEST_MYSQL.password !== "") env.RBAC_DB_PASSWORD = TEST_MYSQL.password;
    drop = () => scratch.drop();
  } else {
    Object.assign(env, { RBAC_DB_DRIVER: "sqlite", RBAC_DB_DATABASE: "marg-rbac" });
  }
  writeFileSync(
    path.join(temp.path, ".env.shared"),
    `${Object.entries(env)
      .map(([key, value]) => `${key}=${value}`)
      .join("\n")}\n`,
  );
  const config = loadConfig({ root: temp.path, env: {} });
  if (driver !== "redis") {
    const { db } = createQueueKysely(config.db.connections.rbac);
    await applyQueueMigrations(db);
    await db.destroy();
  }
  return {
    name: driver,
    root: temp.path,
    env,
    config,
    openBackend: () => createQueueBackend(config),
    async cleanup() {
      await drop();
      temp.remove();
    },
  };
}
