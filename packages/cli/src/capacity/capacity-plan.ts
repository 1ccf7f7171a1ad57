import { SEED_FIGURES, SEED_PHASES, type SeedPhase, TIERS, type TierId } from "./seed-capacity.js";

/**
 * The seed's capacity arithmetic, pure: users × requests/min ÷ 60 gives the load, each
 * tier's load ÷ one server's capacity gives the servers needed. No I/O, so it can be
 * checked against the seed's own figures (500 users → 83 req/s → 12x/2.4x/120x/6x).
 */

/** What one 1-vCPU server of each tier handles, and how much work one request makes. */
export interface CapacityFigures {
  readonly loadBalancerRequestsPerSecond: number;
  readonly appRequestsPerSecond: number;
  readonly redisOpsPerSecond: number;
  readonly mysqlQueriesPerSecond: number;
  readonly workerJobsPerMinute: number;
  readonly redisOpsPerRequest: number;
  readonly mysqlQueriesPerRequest: number;
}

/**
 * One Redis op and one MySQL query per request: the seed's arithmetic compares its
 * 83 req/s directly with 10,000 ops/s (120x) and 500 queries/s (6x).
 */
export const SEED_CAPACITY_FIGURES: CapacityFigures = {
  loadBalancerRequestsPerSecond: SEED_FIGURES.loadBalancerRequestsPerSecond.value,
  appRequestsPerSecond: SEED_FIGURES.appRequestsPerSecond.value,
  redisOpsPerSecond: SEED_FIGURES.redisOpsPerSecond.value,
  mysqlQueriesPerSecond: SEED_FIGURES.mysqlQueriesPerSecond.value,
  workerJobsPerMinute: SEED_FIGURES.workerJobsPerMinute.value,
  redisOpsPerRequest: 1,
  mysqlQueriesPerRequest: 1,
};

/**
 * The seed gives no jobs-per-user figure. Its jobs (mail, avatars, reports, RBAC cache
 * warming) follow occasional actions, so we assume one job per active user per hour:
 * one job per 600 requests at the seed's 10 requests/min.
 */
export const ASSUMED_JOBS_PER_USER_PER_HOUR = 1;

export function assumedJobsPerMinute(users: number): number {
  return (users * ASSUMED_JOBS_PER_USER_PER_HOUR) / 60;
}

export interface TierPlan {
  readonly tier: TierId;
  /** Requests/s, ops/s or queries/s; jobs per minute for the worker tier. */
  readonly load: number;
  readonly capacityPerServer: number;
  /** One server's capacity ÷ the load; null when the tier has no load. */
  readonly headroom: number | null;
  /** ceil(load ÷ capacity), at least 1. */
  readonly serversNeeded: number;
}

export interface TierLoads {
  readonly requestsPerSecond: number;
  readonly jobsPerMinute: number;
}

/** Every tier's load, one server's capacity, its headroom and the servers it needs. */
export function planTiers(loads: TierLoads, figures: CapacityFigures): TierPlan[] {
  const perTier: Record<TierId, { load: number; capacity: number }> = {
    "load-balancer": { load: loads.requestsPerSecond, capacity: figures.loadBalancerRequestsPerSecond },
    app: { load: loads.requestsPerSecond, capacity: figures.appRequestsPerSecond },
    redis: {
      load: loads.requestsPerSecond * figures.redisOpsPerRequest,
      capacity: figures.redisOpsPerSecond,
    },
    mysql: {
      load: loads.requestsPerSecond * figures.mysqlQueriesPerRequest,
      capacity: figures.mysqlQueriesPerSecond,
    },
    worker: { load: loads.jobsPerMinute, capacity: figures.workerJobsPerMinute },
  };
  return TIERS.map((tier) => {
    const { load, capacity } = perTier[tier];
    return {
      tier,
      load,
      capacityPerServer: capacity,
      headroom: load > 0 ? capacity / load : null,
      serversNeeded: Math.max(1, Math.ceil(load / capacity)),
    };
  });
}

/** The tier with the least headroom (the first listed on a tie); null if nothing has load. */
export function bottleneckOf(tiers: readonly TierPlan[]): TierId | null {
  let least: TierPlan | undefined;
  for (const plan of tiers) {
    if (plan.headroom === null) continue;
    if (least?.headroom == null || plan.headroom < least.headroom) least = plan;
  }
  return least?.tier ?? null;
}

export interface PhaseFit {
  /** The phase whose heading's user range holds the count; phase 4 past its top. */
  readonly phase: SeedPhase;
  /** True past the seed's last range (50,000 users): phase 4 is the nearest it has. */
  readonly beyond: boolean;
}

/** The phase a user count lands in, by the ranges of the seed's phase headings. */
export function phaseFor(users: number): PhaseFit {
  const ranged = SEED_PHASES.filter((phase) => phase.users !== null);
  const found = ranged.find((phase) => phase.users !== null && users <= phase.users.max);
  const last = ranged[ranged.length - 1];
  if (last === undefined) throw new Error("the seed's phases have no user ranges");
  return found === undefined ? { phase: last, beyond: true } : { phase: found, beyond: false };
}

export interface CapacityInput {
  readonly users: number;
  readonly requestsPerUserPerMinute: number;
  /** Total jobs per minute; the assumed one per user per hour when omitted. */
  readonly jobsPerMinute?: number;
}

/** A tier's arithmetic next to what its phase lists: the two answers the seed mixes up. */
export interface TierInPhase extends TierPlan {
  /** Servers the phase lists for this tier. */
  readonly phaseServers: number;
  /** The fewest the phase's promise needs (2+ for high availability): a phase fact. */
  readonly redundancyMinimum: number;
  /** max(servers needed, redundancy minimum). */
  readonly serversWithRedundancy: number;
  /** Whether the phase lists as many servers as the arithmetic needs. */
  readonly phaseHasEnough: boolean;
}

export function placeInPhase(plan: TierPlan, phase: SeedPhase): TierInPhase {
  const phaseServers = phase.servers[plan.tier];
  const redundancyMinimum = phase.redundancyMinimum[plan.tier];
  return {
    ...plan,
    phaseServers,
    redundancyMinimum,
    serversWithRedundancy: Math.max(plan.serversNeeded, redundancyMinimum),
    phaseHasEnough: phaseServers >= plan.serversNeeded,
  };
}

export interface CapacityPlan {
  readonly users: number;
  readonly requestsPerUserPerMinute: number;
  readonly requestsPerMinute: number;
  readonly requestsPerSecond: number;
  readonly jobsPerMinute: number;
  readonly jobsAssumed: boolean;
  readonly tiers: readonly TierInPhase[];
  readonly bottleneck: TierId | null;
  readonly phase: PhaseFit;
}

/**
 * The seed's arithmetic for `users`, with the given per-server figures.
 *
 * @example
 * const plan = planCapacity({ users: 500, requestsPerUserPerMinute: 10 }, SEED_CAPACITY_FIGURES);
 * plan.requestsPerSecond; // 83.33…
 * plan.bottleneck; // "app" (the seed's "PHP-FPM workers")
 */
export function planCapacity(input: CapacityInput, figures: CapacityFigures): CapacityPlan {
  const requestsPerMinute = input.users * input.requestsPerUserPerMinute;
  const requestsPerSecond = requestsPerMinute / 60;
  const jobsPerMinute = input.jobsPerMinute ?? assumedJobsPerMinute(input.users);
  const tiers = planTiers({ requestsPerSecond, jobsPerMinute }, figures);
  const phase = phaseFor(input.users);
  return {
    users: input.users,
    requestsPerUserPerMinute: input.requestsPerUserPerMinute,
    requestsPerMinute,
    requestsPerSecond,
    jobsPerMinute,
    jobsAssumed: input.jobsPerMinute === undefined,
    tiers: tiers.map((tier) => placeInPhase(tier, phase.phase)),
    bottleneck: bottleneckOf(tiers),
    phase,
  };
}
