import { defineJob } from "@marg/core/queue";
import { z } from "zod";

/**
 * The worker's own health job: `dispatch(pingJob, {})` and watch it complete to
 * know the queue and a worker are alive end to end.
 */
export const pingJob = defineJob({
  name: "marg.ping",
  schema: z.object({ note: z.string().max(200).optional() }),
  handler(payload, ctx) {
    ctx.log.info({ note: payload.note ?? "" }, "pong");
  },
});
