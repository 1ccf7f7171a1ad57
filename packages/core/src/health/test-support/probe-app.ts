import path from "node:path";
import type { FastifyInstance } from "fastify";
import { defineApp } from "../../app/app-definition.js";
import { generateAppKey, loadConfig, type MargConfig } from "../../config/index.js";
import { createDatabases } from "../../db/databases.js";
import type { MigrationSet } from "../../db/migration-types.js";
import { createMigrator } from "../../db/migrator.js";
import { createAppServer } from "../../kernel/app-server.js";
import type { AppServerOptions } from "../../kernel/app-server-options.js";
import { coreMigrations } from "../../kernel/core-migrations.js";
import { maintenanceMigrations } from "../../maintenance/maintenance-migrations.js";
import { type CreatePlatformOptions, createPlatform } from "../../platform/create-platform.js";
import type { Platform } from "../../platform/types.js";
import { queueMigrations } from "../../queue/queue-migrations.js";
import { createTempDir } from "../../testing/index.js";

export interface ProbeApp {
  readonly config: MargConfig;
  readonly platform: Platform;
  readonly server: FastifyInstance;
  readonly root: string;
  close(): Promise<void>;
}

/**
 * A real app server (`probe`, no routes of its own) on a real platform, built
 * from `env` in a temp installation: what every app gets for free — /health,
 * /metrics, maintenance mode — with nothing else in the way.
 */
export async function buildProbeApp(
  options: {
    env?: Record<string, string>;
    id?: string;
    migrations?: readonly MigrationSet[];
    serverOptions?: Omit<AppServerOptions, "titles">;
    platformOptions?: CreatePlatformOptions;
  } = {},
): Promise<ProbeApp> {
  const temp = createTempDir("probe-app");
  const id = options.id ?? "probe";
  const env = {
    APP_KEY: generateAppKey(),
    APP_ENV: "testing",
    LOG_LEVEL: "silent",
    MARG_APPS: id,
    STORAGE_PATH: path.join(temp.path, "storage"),
    ...options.env,
  };
  const config = loadConfig({ app: id, root: temp.path, env, appDefaults: { name: "Probe", database: id } });
  // Core's tables (the platform opens the queue and reads maintenance state at start), then the test's own.
  const sets = [...coreMigrations, queueMigrations, maintenanceMigrations, ...(options.migrations ?? [])];
  const unique = sets.filter(
    (set, index) => sets.findIndex((other) => other.source === set.source) === index,
  );
  const databases = createDatabases(config, { readReplicas: false });
  try {
    await createMigrator(() => databases, unique).latest();
  } finally {
    await databases.destroy();
  }
  const platform = await createPlatform(config, options.platformOptions);
  try {
    const server = await createAppServer(defineApp({ id, title: "Probe" }), platform, {
      ...options.serverOptions,
      titles: { [id]: "Probe" },
    });
    return {
      config,
      platform,
      server,
      root: temp.path,
      async close() {
        await server.close();
        await platform.close();
        temp.remove();
      },
    };
  } catch (error) {
    await platform.close();
    temp.remove();
    throw error;
  }
}
