/**
 * Capped exponential backoff with a little jitter, so a fleet of workers does
 * not reconnect in lockstep after Redis restarts. `attempt` counts from 1, as
 * ioredis' retryStrategy does. Never returns null: MARG retries forever, an
 * outage must never end the process.
 */
export function backoffDelay(attempt: number, baseMs: number, maxMs: number): number {
  const exponential = baseMs * 2 ** Math.max(0, Math.min(attempt - 1, 30));
  const capped = Math.min(maxMs, exponential);
  return Math.max(1, Math.round(capped * (0.8 + Math.random() * 0.2)));
}

/**
 * After a Sentinel failover the old primary comes back as a replica and
 * answers writes with READONLY. Reconnecting (2 = reconnect and resend the
 * command) makes ioredis ask Sentinel for the new primary.
 */
export function reconnectOnReadonly(error: Error): 2 | false {
  return error.message.startsWith("READONLY") ? 2 : false;
}
