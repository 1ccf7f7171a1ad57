import type { FastifyInstance } from "fastify";
import type { MargAppDefinition } from "../app/index.js";
import type { MargConfig } from "../config/index.js";
import type {
  MargMigrator,
  MigrationStatusRow,
  MigrationStep,
  MigratorEvent,
  SeedResult,
} from "../db/index.js";
import type { MetricsServer } from "../metrics/index.js";
import type { Platform } from "../platform/index.js";
import type { QueueLogger, WorkerOptions } from "../queue/index.js";
import type { AppServerOptions } from "./app-server-options.js";

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

/** What `web(app)` gives: the app's config, its services, and its server (not yet listening). */
export interface WebApp {
  readonly definition: MargAppDefinition;
  readonly config: MargConfig;
  readonly platform: Platform;
  readonly server: FastifyInstance;
}

export interface WebOptions {
  /** Passed on to the app server; titles, access and off-site redirects come from the definitions. */
  readonly serverOptions?: Omit<AppServerOptions, "titles">;
}

export type ServeOptions = WebOptions;

export interface ServedApp extends WebApp {
  /** The app's own /metrics listener (APP_METRICS_PORT), when set. */
  readonly metricsServer: MetricsServer | undefined;
}

export interface KernelWorkerOptions {
  /** The queue driver to work (default: QUEUE_CONNECTION); sync has nothing to take. */
  readonly connection?: "database" | "redis";
  /** `marg work`'s flags (queues, concurrency, tries, sleep, max-time, timeout, max-jobs). */
  readonly options?: Partial<WorkerOptions>;
  /** Also run the periodic jobs (default true; `--no-scheduler` leaves them to other workers). */
  readonly scheduler?: boolean;
  /** Log lines: JSON (`--json-logs`) or readable, at `level` (default LOG_LEVEL). */
  readonly log?: { readonly json?: boolean; readonly level?: string };
  /** Serve /metrics on WORKER_METRICS_PORT when it is set (default true). */
  readonly metricsListener?: boolean;
  /** Stop on SIGTERM/SIGINT (default true); `marg dev` stops its worker through its own shutdown. */
  readonly handleSignals?: boolean;
  /** Exit the process when jobs outlive their timeout at shutdown (default true). */
  readonly exitWhenStuck?: boolean;
}

export interface KernelWorker {
  readonly logger: QueueLogger;
  /** Resolves with the exit code once the worker has stopped and everything it opened is closed. */
  readonly done: Promise<number>;
  /** Takes no new job, finishes the ones in flight, closes. */
  stop(): Promise<void>;
}

export interface FrontDoorOptions {
  /** Run the queue worker in this process too (default: unless QUEUE_CONNECTION=sync, which needs none). */
  readonly worker?: boolean;
}

export interface FrontDoor {
  /** Every app of MARG_APPS, served on its host name. */
  readonly apps: readonly WebApp[];
}

export interface MigrateOptions {
  /** The apps whose sets run (core's shared rbac/business sets always do); default: every app. */
  readonly apps?: readonly string[];
  /** Each migration as it finishes, and each database created on the way. */
  readonly onEvent?: (event: MigratorEvent) => void;
}

export interface SeedOptions {
  /** The apps whose seeders run after core's; default: every app. */
  readonly apps?: readonly string[];
  /** Run the demo seeders too (default true); false keeps only what an installation needs (roles, permissions). */
  readonly demo?: boolean;
  /** What a seeder says as it runs. */
  readonly log?: (line: string) => void;
  /** Each seeder as it finishes. */
  readonly onEvent?: (result: SeedResult) => void;
}

/** The migrator over the chosen apps' sets; its databases open on first use and close with `close()`. */
export interface KernelMigrator extends MargMigrator {
  close(): Promise<void>;
}
