import { MargError } from "../errors/index.js";
import type { DispatchOptions } from "./dispatch-options.js";
import type { AnyJobDefinition, JobPayload } from "./job-definition.js";
import type { Queue } from "./queue-service.js";
import type { QueueBackend, QueueLogger } from "./types.js";

/** A job dispatched once per period by whichever worker claims the period first. */
export interface ScheduledJob {
  /** Claim key; default the job's name. Two schedules of one job need distinct keys. */
  readonly key: string;
  readonly job: AnyJobDefinition;
  readonly everySeconds: number;
  readonly payload: (periodStart: number) => unknown;
  readonly options: DispatchOptions;
}

/**
 * Declares a periodic job: RBAC cache warm every 5 minutes, session sweep every
 * hour. Periods are aligned to the epoch (every 300 s starts at :00, :05, …),
 * so every worker agrees on which period it is.
 *
 * @example
 * defineSchedule({ job: warmRbacCache, everySeconds: 300, payload: () => ({}) });
 */
export function defineSchedule<J extends AnyJobDefinition>(schedule: {
  job: J;
  everySeconds: number;
  payload: (periodStart: number) => JobPayload<J>;
  key?: string;
  options?: DispatchOptions;
}): ScheduledJob {
  if (!Number.isInteger(schedule.everySeconds) || schedule.everySeconds < 1) {
    throw new MargError(
      "E_QUEUE_INVALID_OPTIONS",
      `everySeconds must be a whole number ≥ 1 (${schedule.job.name}).`,
    );
  }
  const key = schedule.key ?? schedule.job.name;
  if (key.length > 160) {
    throw new MargError(
      "E_QUEUE_INVALID_OPTIONS",
      `Schedule key "${key}" is longer than 160; pass a shorter \`key\`.`,
    );
  }
  return {
    key,
    job: schedule.job,
    everySeconds: schedule.everySeconds,
    payload: schedule.payload,
    options: schedule.options ?? {},
  };
}

export interface SchedulerDeps {
  readonly queue: Queue;
  readonly backend: QueueBackend;
  readonly schedules: readonly ScheduledJob[];
  /** Who claims (the worker id), for debugging claims. */
  readonly owner: string;
  readonly tickMs: number;
  readonly logger: QueueLogger;
  readonly now?: () => number;
}

/**
 * Runs every schedule once per period across any number of workers, with no
 * leader: each worker tries to claim `(key, period start)` in the shared store
 * (Redis SET NX PX / a unique row) and only the winner dispatches. The job id
 * is derived from the same pair, so a retried dispatch cannot queue it twice.
 */
export function createScheduler(deps: SchedulerDeps): { start(): void; stop(): Promise<void> } {
  const now = deps.now ?? Date.now;
  const seen = new Map<string, number>();
  const undispatched = new Map<string, number>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let stopped = false;

  async function dispatch(schedule: ScheduledJob, periodStart: number): Promise<void> {
    const jobId = `schedule-${schedule.key.replace(/[^A-Za-z0-9._-]/g, "-")}-${periodStart}`;
    try {
      await deps.queue.dispatch(schedule.job, schedule.payload(periodStart), { ...schedule.options, jobId });
      undispatched.delete(schedule.key);
      deps.logger.info({ schedule: schedule.key, periodStart, jobId }, "scheduled job dispatched");
    } catch (error) {
      undispatched.set(schedule.key, periodStart);
      deps.logger.error(
        { schedule: schedule.key, err: (error as Error).message },
        "scheduled job not dispatched; retrying",
      );
    }
  }

  async function tick(): Promise<void> {
    for (const schedule of deps.schedules) {
      const period = schedule.everySeconds * 1000;
      const periodStart = Math.floor(now() / period) * period;
      if (undispatched.get(schedule.key) === periodStart) {
        await dispatch(schedule, periodStart);
        continue;
      }
      if (seen.get(schedule.key) === periodStart) continue;
      try {
        const claimed = await deps.backend.claimOnce(
          `${schedule.key}:${periodStart}`,
          deps.owner,
          Math.max(2 * period, 10_000),
        );
        seen.set(schedule.key, periodStart);
        if (claimed) await dispatch(schedule, periodStart);
      } catch (error) {
        deps.logger.warn({ schedule: schedule.key, err: (error as Error).message }, "schedule claim failed");
      }
    }
  }

  function loop(): void {
    if (stopped) return;
    running = tick().finally(() => {
      if (!stopped) timer = setTimeout(loop, deps.tickMs);
    });
  }

  return {
    start() {
      if (deps.schedules.length > 0) loop();
    },
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await running;
    },
  };
}
