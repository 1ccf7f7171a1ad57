import { type Job, Queue } from "bullmq";
import type { Redis } from "ioredis";
import type { RedisConnectionConfig } from "../../config/index.js";
import {
  type ConsumeOptions,
  type FailedJob,
  type JobProcessor,
  type NewJob,
  type QueueBackend,
  type QueueConsumer,
  type QueueCounts,
  type QueueLogger,
  SILENT_QUEUE_LOGGER,
  type WorkerBeat,
} from "../types.js";
import { startBullmqConsumer } from "./bullmq-consumer.js";
import { envelopeOf, failedJobOf, jobsOptionsOf } from "./bullmq-job-mapping.js";
import { createQueueRedisConnection } from "./queue-redis-connection.js";

export interface RedisQueueBackendOptions {
  /** `config.redis`: where Redis is, and REDIS_PREFIX. */
  readonly redis: RedisConnectionConfig & { readonly prefix: string };
  /** Opens a connection; default from `config.redis` (the swap point for core's redis module). */
  readonly connect?: (role: "producer" | "worker") => Redis;
  readonly logger?: QueueLogger;
}

/**
 * The redis queue driver, on BullMQ. Keys live under `${REDIS_PREFIX}queues`,
 * so with the seed's prefix a queue's keys are `marg_database_queues:default:…`
 * (the wait list is `marg_database_queues:default:wait`). MARG's own keys
 * (known queues, worker heartbeats, scheduler claims) sit beside them under
 * `…queues:_marg:` — queue names cannot start with `_`.
 */
export class RedisQueueBackend implements QueueBackend {
  readonly driver = "redis";
  readonly #prefix: string;
  readonly #connect: (role: "producer" | "worker") => Redis;
  readonly #logger: QueueLogger;
  readonly #queues = new Map<string, Queue>();
  readonly #registered = new Set<string>();
  readonly #consumers = new Set<QueueConsumer>();
  #producer: Redis | undefined;
  #workerConnection: Redis | undefined;

  constructor(options: RedisQueueBackendOptions) {
    this.#prefix = `${options.redis.prefix}queues`;
    const connect = options.connect ?? ((role) => createQueueRedisConnection(options.redis, role));
    this.#logger = options.logger ?? SILENT_QUEUE_LOGGER;
    this.#connect = (role) => this.#watch(connect(role), role);
  }

  /** Logs an outage once (and the recovery), instead of ioredis's "Unhandled error event" per retry. */
  #watch(connection: Redis, role: string): Redis {
    let down = false;
    connection.on("error", (error: Error) => {
      if (down) return;
      down = true;
      this.#logger.warn({ role, err: error.message }, "queue Redis unreachable; retrying");
    });
    connection.on("ready", () => {
      if (!down) return;
      down = false;
      this.#logger.info({ role }, "queue Redis reachable again");
    });
    return connection;
  }

  get #redis(): Redis {
    this.#producer ??= this.#connect("producer");
    return this.#producer;
  }

  #key(suffix: string): string {
    return `${this.#prefix}:_marg:${suffix}`;
  }

  #queue(name: string): Queue {
    let queue = this.#queues.get(name);
    if (queue === undefined) {
      queue = new Queue(name, { connection: this.#redis, prefix: this.#prefix });
      queue.on("error", (error) =>
        this.#logger.error({ queue: name, err: error.message }, "BullMQ queue error"),
      );
      this.#queues.set(name, queue);
    }
    return queue;
  }

  /** Remembers queue names, so status and failed-job commands find every queue without KEYS. */
  async #register(names: readonly string[]): Promise<void> {
    const fresh = names.filter((name) => !this.#registered.has(name));
    if (fresh.length === 0) return;
    await this.#redis.sadd(this.#key("queues"), ...fresh);
    for (const name of fresh) this.#registered.add(name);
  }

  async #knownQueues(): Promise<string[]> {
    return (await this.#redis.smembers(this.#key("queues"))).sort();
  }

  async enqueue(job: NewJob): Promise<void> {
    await this.#register([job.queue]);
    await this.#queue(job.queue).add(job.name, envelopeOf(job), jobsOptionsOf(job));
  }

  consume(options: ConsumeOptions, processor: JobProcessor): QueueConsumer {
    void this.#register(options.queues).catch((error: Error) =>
      this.#logger.warn({ err: error.message }, "could not record queue names"),
    );
    this.#workerConnection ??= this.#connect("worker");
    const consumer = startBullmqConsumer({
      connection: this.#workerConnection,
      prefix: this.#prefix,
      options,
      processor,
      logger: this.#logger,
    });
    this.#consumers.add(consumer);
    return {
      close: async () => {
        await consumer.close();
        this.#consumers.delete(consumer);
      },
    };
  }

  async listFailed(options: { queue?: string; limit: number }): Promise<FailedJob[]> {
    const names = options.queue === undefined ? await this.#knownQueues() : [options.queue];
    const jobs: FailedJob[] = [];
    for (const name of names) {
      const failed = await this.#queue(name).getFailed(0, options.limit - 1);
      jobs.push(...failed.filter((job): job is Job => job !== undefined).map(failedJobOf));
    }
    return jobs.sort((a, b) => b.failedAt - a.failedAt).slice(0, options.limit);
  }

  async #findFailed(id: string): Promise<{ queue: Queue; job: Job } | undefined> {
    for (const name of await this.#knownQueues()) {
      const queue = this.#queue(name);
      const job = await queue.getJob(id);
      if (job !== undefined && (await job.isFailed())) return { queue, job };
    }
    return undefined;
  }

  async #retry(queue: Queue, job: Job): Promise<void> {
    // BullMQ keeps the stall counter across a manual retry; a retried job deserves a fresh one.
    await this.#redis.hdel(queue.toKey(String(job.id)), "stc");
    await job.retry("failed", { resetAttemptsMade: true, resetAttemptsStarted: true });
  }

  async retryFailed(id: string): Promise<boolean> {
    const found = await this.#findFailed(id);
    if (found === undefined) return false;
    await this.#retry(found.queue, found.job);
    return true;
  }

  async retryAllFailed(): Promise<number> {
    let retried = 0;
    for (const name of await this.#knownQueues()) {
      const queue = this.#queue(name);
      for (;;) {
        const jobs = (await queue.getFailed(0, 199)).filter((job): job is Job => job !== undefined);
        if (jobs.length === 0) break;
        for (const job of jobs) await this.#retry(queue, job);
        retried += jobs.length;
      }
    }
    return retried;
  }

  async forgetFailed(id: string): Promise<boolean> {
    const found = await this.#findFailed(id);
    if (found === undefined) return false;
    await found.job.remove();
    return true;
  }

  async flushFailed(): Promise<number> {
    let removed = 0;
    for (const name of await this.#knownQueues())
      removed += (await this.#queue(name).clean(0, 0, "failed")).length;
    return removed;
  }

  async counts(): Promise<QueueCounts[]> {
    const result: QueueCounts[] = [];
    for (const name of await this.#knownQueues()) {
      const counts = await this.#queue(name).getJobCounts(
        "wait",
        "prioritized",
        "waiting-children",
        "delayed",
        "active",
        "failed",
      );
      const count = (state: string) => counts[state] ?? 0;
      result.push({
        queue: name,
        waiting: count("wait") + count("prioritized") + count("waiting-children"),
        delayed: count("delayed"),
        active: count("active"),
        failed: count("failed"),
      });
    }
    return result;
  }

  async recordWorker(beat: WorkerBeat, ttlMs: number): Promise<void> {
    await this.#redis.set(this.#key(`workers:${beat.id}`), JSON.stringify(beat), "PX", ttlMs);
  }

  async removeWorker(id: string): Promise<void> {
    await this.#redis.del(this.#key(`workers:${id}`));
  }

  async listWorkers(): Promise<WorkerBeat[]> {
    const keys: string[] = [];
    let cursor = "0";
    do {
      const [next, found] = await this.#redis.scan(cursor, "MATCH", this.#key("workers:*"), "COUNT", 200);
      cursor = next;
      keys.push(...found);
    } while (cursor !== "0");
    if (keys.length === 0) return [];
    const values = await this.#redis.mget(...keys);
    return values
      .filter((value): value is string => value !== null)
      .map((value) => JSON.parse(value) as WorkerBeat)
      .sort((a, b) => a.startedAt - b.startedAt);
  }

  async claimOnce(key: string, owner: string, ttlMs: number): Promise<boolean> {
    return (await this.#redis.set(this.#key(`claims:${key}`), owner, "PX", ttlMs, "NX")) === "OK";
  }

  async close(): Promise<void> {
    await Promise.all([...this.#consumers].map((consumer) => consumer.close()));
    await Promise.all([...this.#queues.values()].map((queue) => queue.close()));
    this.#queues.clear();
    await Promise.all(
      [this.#producer, this.#workerConnection].map((connection) => connection?.quit().catch(() => undefined)),
    );
  }
}
