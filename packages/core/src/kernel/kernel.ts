import type { MargAppDefinition } from "../app/index.js";
import { loadConfig, type MargConfig } from "../config/index.js";
import { loadAppDefinition, selectApps } from "./app-definitions.js";
import type { Kernel, KernelOptions } from "./types.js";

/**
 * The kernel of one installation: its app definitions, loaded once, and the services
 * started from them (see `Kernel`).
 *
 * @example
 * const kernel = createKernel({ root: process.cwd(), env: process.env });
 * await kernel.migrate();
 */
export function createKernel(options: KernelOptions): Kernel {
  let installation: MargConfig | undefined;
  const definitions = new Map<string, Promise<MargAppDefinition>>();
  const appConfigs = new Map<string, MargConfig>();

  const kernel: Kernel = {
    root: options.root,
    env: options.env,
    config() {
      installation ??= loadConfig({ root: options.root, env: options.env });
      return installation;
    },
    selectApps: (only) => selectApps(kernel.config(), only),
    definition(id) {
      let loading = definitions.get(id);
      if (loading === undefined) {
        loading = loadAppDefinition(options.root, id);
        // A failed import is not cached: the next call reports it again rather than a stale promise.
        loading.catch(() => definitions.delete(id));
        definitions.set(id, loading);
      }
      return loading;
    },
    async appConfig(id) {
      const definition = await kernel.definition(id);
      let config = appConfigs.get(id);
      if (config === undefined) {
        config = loadConfig({
          app: id,
          root: options.root,
          env: options.env,
          appDefaults: {
            name: definition.title,
            ...(definition.database === undefined ? {} : { database: definition.database }),
          },
        });
        appConfigs.set(id, config);
      }
      return config;
    },
    web: async (id, webOptions) => (await import("./web-service.js")).buildWebApp(kernel, id, webOptions),
    serve: async (id, serveOptions) =>
      (await import("./web-service.js")).serveWebApp(kernel, id, serveOptions),
    worker: async (workerOptions) =>
      (await import("./worker-service.js")).startKernelWorker(kernel, workerOptions),
    frontDoor: async (doorOptions) => (await import("./front-door.js")).startFrontDoor(kernel, doorOptions),
    migrate: async (migrateOptions) =>
      (await import("./migrate-service.js")).migrateLatest(kernel, migrateOptions),
    migrator: async (migratorOptions) =>
      (await import("./migrate-service.js")).openMigrator(kernel, migratorOptions),
    migrationStatus: async (statusOptions) =>
      (await import("./migrate-service.js")).migrationStatus(kernel, statusOptions),
    seed: async (seedOptions) => (await import("./migrate-service.js")).seedDatabases(kernel, seedOptions),
  };
  return kernel;
}
