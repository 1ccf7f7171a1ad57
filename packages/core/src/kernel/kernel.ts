import type { MargAppDefinition } from "../app/index.js";
import { loadConfig, type MargConfig } from "../config/index.js";
import type { MigrationStatusRow, MigrationStep, SeedResult } from "../db/index.js";
import { loadAppDefinition, selectApps } from "./app-definitions.js";
import type { FrontDoor, FrontDoorOptions } from "./front-door.js";
import type { KernelMigrator, MigrateOptions, SeedOptions } from "./migrate-service.js";
import type { ServedApp, ServeOptions, WebApp, WebOptions } from "./web-service.js";
import type { KernelWorker, KernelWorkerOptions } from "./worker-service.js";

export interface KernelOptions {
  /** The installation: `.env.shared` and `apps/<id>/` live here. */
  readonly root: string;
  /** The process environment (later wins over the .env files). */
  readonly env: Record<string, string | undefined>;
}

/**
 * One installation's app definitions (MARG_APPS) and the services started from them:
 * `web(app)` an app server, `worker()` the queue worker taking every app's jobs,
 * `migrate()` / `seed()` every app's schema and data. Each service's code loads
 * only when it is started, so `marg migrate` never loads the worker nor the web stack
 * beyond what the app definitions import.
 *
 * @example
 * const kernel = createKernel({ root: process.cwd(), env: process.env });
 * await kernel.migrate();
 * const worker = await kernel.worker({ options: { tries: 3 } });
 * process.exitCode = await worker.done;
 */
export interface Kernel {
  readonly root: string;
  readonly env: Record<string, string | undefined>;
  /** The installation's config (no app): loaded and validated once, on first use. */
  config(): MargConfig;
  /** Every app of MARG_APPS, or the one `only` names (E_APP_UNKNOWN when it is not listed). */
  selectApps(only?: string): readonly string[];
  /** One app's definition (imported once per kernel). */
  definition(id: string): Promise<MargAppDefinition>;
  /** One app's config: its env over the installation's, its definition's name and database as defaults. */
  appConfig(id: string): Promise<MargConfig>;
  /** One app's config, platform and (not yet listening) server. */
  web(id: string, options?: WebOptions): Promise<WebApp>;
  /** `marg serve`: one app listening on its port, its /metrics listener, graceful shutdown on signals. */
  serve(id: string, options?: ServeOptions): Promise<ServedApp>;
  /** The queue worker over every app's jobs (refuses to start on a job wiring mismatch). */
  worker(options?: KernelWorkerOptions): Promise<KernelWorker>;
  /** `marg dev`: every app behind one host-routing port, and a worker in the same process. */
  frontDoor(options?: FrontDoorOptions): Promise<FrontDoor>;
  /** Runs every pending migration (core's, then each app's); returns the steps run. */
  migrate(options?: MigrateOptions): Promise<MigrationStep[]>;
  /**
   * The migrator over core's and the apps' sets (`latest`, `rollback`, `status`), for callers
   * that tell a broken app definition (thrown here) from a failing migration; `close()` it.
   */
  migrator(options?: MigrateOptions): Promise<KernelMigrator>;
  /** Every migration of every database and whether it has run. */
  migrationStatus(options?: { readonly apps?: readonly string[] }): Promise<MigrationStatusRow[]>;
  /** Runs the (idempotent) seeders: core's, then each app's. */
  seed(options?: SeedOptions): Promise<SeedResult[]>;
}

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
