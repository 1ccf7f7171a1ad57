import { readFileSync } from "node:fs";
import path from "node:path";
import { createQueue, type QueueBackend, type QueueTables } from "@marg/core/queue";
import { createScratchRedisPrefix, createTempDir, TEST_REDIS } from "@marg/core/testing";
import { createQueueKysely, prepareQueueDriver, type QueueTestDriver } from "@marg/core/testing/queue";
import { Queue as BullQueue, type JobsOptions } from "bullmq";
import { Redis } from "ioredis";
import { type Kysely, sql } from "kysely";
import { REPO_ROOT } from "../../test/support/spawn-process.js";
import { BENCH_JOB_NAME, benchNoopJob } from "../targets/bench-noop-job.js";

/** What the queue bench compares: MARG's worker on each driver, and bare BullMQ. */
export const JOB_TARGETS = [
  "marg-redis",
  "marg-database-sqlite",
  "marg-database-mysql",
  "bullmq-bare",
] as const;
export type JobTarget = (typeof JOB_TARGETS)[number];

/**
 * One target's scratch queue store, seen from the bench process: how to fill
 * it, how to watch it drain, and which worker process works it. The bench
 * counts what the store holds (never per-job events), so watching costs the
 * worker nothing.
 */
export interface JobStore {
  readonly target: JobTarget;
  /** A scratch folder, removed by close(): the worker's log file goes here. */
  readonly dir: string;
  /** The worker's entry script and environment. */
  readonly worker: { readonly entry: string; readonly env: Readonly<Record<string, string>> };
  /** How often to count what is left while draining: counting rows costs a database more than Redis. */
  readonly pollMs: number;
  /** The pid of the server behind the store (redis-server, mariadbd) when it runs here; null for SQLite. */
  readonly serverPid: number | null;
  /** Queues `count` no-op jobs (MARG: dispatch(), many in flight; bare: addBulk). */
  enqueue(count: number): Promise<void>;
  /** Queues one no-op job the way an app would; resolves with its id. */
  dispatchOne(): Promise<string>;
  /** Jobs not finished yet: waiting, delayed or running. */
  remaining(): Promise<number>;
  failed(): Promise<number>;
  /** True once the job's outcome is stored (completed; a failed one is counted by failed()). */
  finished(id: string): Promise<boolean>;
  /** Closes connections and drops the scratch store (Redis prefix, SQLite folder, MariaDB database). */
  close(): Promise<void>;
}

/** Completed jobs BullMQ keeps; MARG keeps the same, and so does the peer, so Redis does the same trimming. */
const KEEP_COMPLETED = { age: 3600, count: 1000 };
const DISPATCH_IN_FLIGHT = 256;
const TARGETS_DIR = path.join(REPO_ROOT, "bench", "targets");

/** Runs `task(0..count-1)` with at most `limit` in flight. */
async function inParallel(
  count: number,
  limit: number,
  task: (n: number) => Promise<unknown>,
): Promise<void> {
  let next = 0;
  const lane = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(limit, count) }, lane));
}

/** Counts a BullMQ queue (MARG's on the redis driver, or the peer's) by its own keys. */
function bullmqGauge(prefix: string, queueName: string) {
  const queue = new BullQueue(queueName, { connection: { ...TEST_REDIS }, prefix });
  const redis = new Redis({ ...TEST_REDIS });
  const completedKey = `${prefix}:${queueName}:completed`;
  return {
    queue,
    async remaining() {
      const counts = await queue.getJobCounts("wait", "prioritized", "waiting-children", "active", "delayed");
      return Object.values(counts).reduce((sum, n) => sum + n, 0);
    },
    failed: async () => (await queue.getJobCounts("failed")).failed ?? 0,
    finished: async (id: string) => (await redis.zscore(completedKey, id)) !== null,
    async serverPid(): Promise<number | null> {
      const pid = /process_id:(\d+)/.exec(await redis.info("server"))?.[1];
      return pid === undefined ? null : Number(pid);
    },
    async close() {
      await queue.close();
      redis.disconnect();
    },
  };
}

async function openMargStore(target: Exclude<JobTarget, "bullmq-bare">): Promise<JobStore> {
  const driver = target.replace("marg-", "") as QueueTestDriver;
  const prepared = await prepareQueueDriver(driver, "bench");
  let backend: QueueBackend | undefined;
  try {
    backend = await prepared.openBackend();
  } catch (error) {
    await prepared.cleanup();
    throw error;
  }
  const queue = createQueue(backend);
  let n = 0;
  const dispatch = async () => (await queue.dispatch(benchNoopJob, { n: n++ })).id;
  const common = {
    target,
    dir: prepared.root,
    worker: { entry: path.join(TARGETS_DIR, "marg-jobs-worker.ts"), env: { MARG_ROOT: prepared.root } },
    enqueue: (count: number) => inParallel(count, DISPATCH_IN_FLIGHT, dispatch),
    dispatchOne: dispatch,
  };
  if (driver === "redis") {
    const gauge = bullmqGauge(`${prepared.config.redis.prefix}queues`, "default");
    return {
      ...common,
      pollMs: 10,
      serverPid: await gauge.serverPid(),
      remaining: gauge.remaining,
      failed: gauge.failed,
      finished: gauge.finished,
      async close() {
        await gauge.close();
        await backend.close();
        await prepared.cleanup();
      },
    };
  }
  const { db } = createQueueKysely(prepared.config.db.connections.rbac);
  const count = async (table: "queue_jobs" | "queue_failed_jobs") =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return {
    ...common,
    pollMs: 50,
    serverPid: driver === "database-mysql" ? await mariadbPid(db) : null,
    remaining: () => count("queue_jobs"),
    failed: () => count("queue_failed_jobs"),
    finished: async (id) =>
      (await db.selectFrom("queue_jobs").select("id").where("id", "=", id).executeTakeFirst()) === undefined,
    async close() {
      await db.destroy();
      await backend.close();
      await prepared.cleanup();
    },
  };
}

/** mariadbd's pid from its pid file, when this process can read it (a local server). */
async function mariadbPid(db: Kysely<QueueTables>): Promise<number | null> {
  try {
    const { rows } = await sql<{ file: string }>`select @@pid_file as file`.execute(db);
    const pid = Number(readFileSync(rows[0]?.file ?? "", "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

async function openBareStore(withPriority: boolean): Promise<JobStore> {
  const temp = createTempDir("queue-bench-bare");
  const scratch = createScratchRedisPrefix("q_bench_bare");
  const prefix = `${scratch.prefix}bullmq`;
  const queueName = "bench";
  const gauge = bullmqGauge(prefix, queueName);
  const options: JobsOptions = {
    removeOnComplete: KEEP_COMPLETED,
    // MARG gives every job a priority (default 100), which puts it in BullMQ's prioritized set.
    ...(withPriority ? { priority: 100 } : {}),
  };
  let n = 0;
  return {
    target: "bullmq-bare",
    dir: temp.path,
    worker: {
      entry: path.join(TARGETS_DIR, "bullmq-jobs-worker.ts"),
      env: {
        BENCH_REDIS_HOST: TEST_REDIS.host,
        BENCH_REDIS_PORT: String(TEST_REDIS.port),
        BENCH_BULLMQ_PREFIX: prefix,
        BENCH_BULLMQ_QUEUE: queueName,
      },
    },
    pollMs: 10,
    serverPid: await gauge.serverPid(),
    async enqueue(count) {
      for (let start = 0; start < count; start += 1000) {
        const size = Math.min(1000, count - start);
        await gauge.queue.addBulk(
          Array.from({ length: size }, () => ({ name: BENCH_JOB_NAME, data: { n: n++ }, opts: options })),
        );
      }
    },
    async dispatchOne() {
      const job = await gauge.queue.add(BENCH_JOB_NAME, { n: n++ }, options);
      return String(job.id);
    },
    remaining: gauge.remaining,
    failed: gauge.failed,
    finished: gauge.finished,
    async close() {
      await gauge.close();
      await scratch.clear();
      temp.remove();
    },
  };
}

/**
 * Prepares a fresh scratch store for `target` (the database driver's tables migrated).
 * `barePriority`: the peer's jobs get MARG's default priority, so both use BullMQ's prioritized set.
 */
export async function openJobStore(
  target: JobTarget,
  options: { barePriority?: boolean } = {},
): Promise<JobStore> {
  return target === "bullmq-bare" ? openBareStore(options.barePriority === true) : openMargStore(target);
}
