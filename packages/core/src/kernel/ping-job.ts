import { z } from "zod";
import { defineJob } from "../queue/index.js";

/**
 * The kernel's own health job: `dispatch(pingJob, {})` and watch it complete to
 * know the queue and a worker are alive end to end. Every worker handles it.
 */
export const pingJob = defineJob({
  name: "marg.ping",
  schema: z.object({ note: z.string().max(200).optional() }),
  handler(payload, ctx) {
    ctx.log.info({ note: payload.note ?? "" }, "pong");
  },
});
