/** BullMQ's own words for a job failed by its stall counter. */
export const BULLMQ_STALLED_REASON = "job stalled more than allowable limit";

/** Why a job that kept killing its worker was failed; the same words on every driver. */
export function stalledReason(stalls: number): string {
  return (
    `${BULLMQ_STALLED_REASON}: its worker stopped ${stalls} times while running it ` +
    "(crashed, was killed, or blocked its event loop past the lock); inspect it before retrying"
  );
}
