import type { Redis } from "ioredis";
import type { MargConfig } from "../config/config-types.js";
import type { MigrationStatusRow } from "../db/migration-status.js";
import type { Databases } from "../db/types.js";
import type { QueueSizes } from "../metrics/types.js";

/** ok: nothing to do; warn: works, but will hurt (exit 1); fail: broken now (exit 2). */
export type FindingLevel = "ok" | "warn" | "fail";

/** One line of `marg doctor`. */
export interface Finding {
  /** Stable id, `<area>.<what>` (session.app-key, redis.maxmemory-policy), for scripts and docs. */
  readonly id: string;
  readonly level: FindingLevel;
  /** What was found, in one line. Never a secret: keys appear as fingerprints, passwords not at all. */
  readonly message: string;
  /** What to do about it (absent on ok). */
  readonly fix?: string;
}

/** What doctor needs from the queue; `createQueueStats` makes one from a QueueBackend. */
export interface QueueStats {
  readonly driver: "database" | "redis" | "sync";
  sizes(): Promise<readonly QueueSizes[]>;
  /** Workers whose heartbeat is still fresh. */
  workersAlive(): Promise<number>;
  /** The queues live workers serve (from their heartbeats), sorted. */
  servedQueues(): Promise<readonly string[]>;
  /** Age of the job that has waited longest (runnable, not delayed); null when nothing waits. */
  oldestWaitingAgeMs(): Promise<number | null>;
  failedCount(): Promise<number>;
}

/** An app of MARG_APPS and its configuration, or why that configuration does not load. */
export interface DoctorApp {
  readonly id: string;
  readonly config?: MargConfig;
  readonly error?: string;
}

/** Everything the checks look at; the CLI opens it (see openDoctorContext) and closes it after. */
export interface DoctorContext {
  readonly installation: MargConfig;
  readonly apps: readonly DoctorApp[];
  /** The general Redis client of the installation, when any app uses Redis. */
  readonly redis: Redis | undefined;
  /** The installation's databases (rbac, business) and each app's own (app connection). */
  databasesFor(config: MargConfig): Databases;
  /** The queue's numbers, or why they cannot be read. */
  readonly queue: QueueStats | { readonly error: string };
  /** Every migration and whether it ran; undefined when the caller cannot list them. */
  readonly migrationStatus: (() => Promise<readonly MigrationStatusRow[]>) | undefined;
  readonly now: () => number;
}

/** One area of checks: small, independent, never throwing for a broken condition (that is a finding). */
export type DoctorCheck = (ctx: DoctorContext) => Promise<Finding[]>;

export const ok = (id: string, message: string): Finding => ({ id, level: "ok", message });
export const warn = (id: string, message: string, fix: string): Finding => ({
  id,
  level: "warn",
  message,
  fix,
});
export const fail = (id: string, message: string, fix: string): Finding => ({
  id,
  level: "fail",
  message,
  fix,
});

/** The loaded configs, in MARG_APPS order. */
export function loadedConfigs(ctx: DoctorContext): { id: string; config: MargConfig }[] {
  return ctx.apps.flatMap((app) => (app.config === undefined ? [] : [{ id: app.id, config: app.config }]));
}
