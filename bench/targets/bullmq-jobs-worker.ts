// The peer of bench/queue.bench.ts: a bare BullMQ Worker with the same no-op
// processor and the same concurrency as the MARG worker, on its own scratch key
// prefix, with BullMQ's defaults for everything else (lockDuration and
// stalledInterval 30 s, maxStalledCount 1 — the same values MARG uses). No MARG
// code is loaded, so its memory is BullMQ's alone.
// Reads: BENCH_REDIS_HOST, BENCH_REDIS_PORT, BENCH_BULLMQ_PREFIX, BENCH_BULLMQ_QUEUE,
// BENCH_CONCURRENCY. Writes: nothing (errors to stderr).
// Driven over IPC (see worker-protocol.ts); not meant to be started by hand.
import { Worker } from "bullmq";
import { serveWorkerCommands } from "./worker-protocol.js";

const connection = {
  host: process.env.BENCH_REDIS_HOST ?? "127.0.0.1",
  port: Number(process.env.BENCH_REDIS_PORT ?? 6379),
  maxRetriesPerRequest: null,
};
const prefix = process.env.BENCH_BULLMQ_PREFIX ?? "bench";
const queueName = process.env.BENCH_BULLMQ_QUEUE ?? "bench";
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 50);
let worker: Worker | undefined;

serveWorkerCommands({
  async start() {
    worker = new Worker(queueName, async () => {}, { connection, prefix, concurrency });
    worker.on("error", (error) => console.error(`bullmq worker error: ${error.message}`));
    await worker.waitUntilReady();
  },
  async stop() {
    await worker?.close();
    worker = undefined;
    return null;
  },
});
