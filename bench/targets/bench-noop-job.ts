import { defineJob } from "@marg/core/queue";
import { z } from "zod";

/** Name of the queue bench's job, the same for MARG and bare BullMQ. */
export const BENCH_JOB_NAME = "bench.noop";

/**
 * The queue bench's job: a small payload checked by a schema (at dispatch and
 * again in the worker, as every MARG job is), and a handler that does nothing,
 * so what is measured is the queue and the worker, not the work.
 */
export const benchNoopJob = defineJob({
  name: BENCH_JOB_NAME,
  schema: z.object({ n: z.number().int().nonnegative() }),
  handler() {},
});
