/**
 * The seed's capacity figures and phases, as data. Every figure names the section of
 * `seed/infrastructure-guide.md` it comes from, so `marg capacity` and docs/capacity.md
 * can quote it instead of restating it from memory.
 */

/** The tiers the seed plans servers for, in the order it lists them. */
export const TIERS = ["load-balancer", "app", "redis", "mysql", "worker"] as const;
export type TierId = (typeof TIERS)[number];

export interface SeedFigure {
  readonly value: number;
  /** The seed's own words, as printed. */
  readonly quote: string;
  /** Where in the seed: "section › subsection". */
  readonly section: string;
}

const CAPACITY_PLANNING = "Capacity Planning › Phase 2 Performance (4-Server Setup)";
const SERVER_SPECS = "Phase 2 › Server Specifications";

/** Per-server figures of one 1-vCPU server each, plus the load the seed plans for. */
export const SEED_FIGURES = {
  loadBalancerRequestsPerSecond: {
    value: 1000,
    quote: '"1,000+ concurrent requests/second"; "Nginx: 1,000+ req/sec"',
    section: `${SERVER_SPECS} › 1. HTTP Server › Capacity; ${CAPACITY_PLANNING} › Server Capacity`,
  },
  appRequestsPerSecond: {
    value: 200,
    quote: '"PHP-FPM: 200+ req/sec"',
    section: `${CAPACITY_PLANNING} › Server Capacity`,
  },
  redisOpsPerSecond: {
    value: 10_000,
    quote: '"10,000+ operations/second"',
    section: `${SERVER_SPECS} › 2. Redis Server › Capacity`,
  },
  mysqlQueriesPerSecond: {
    value: 500,
    quote: '"500+ queries/second"',
    section: `${SERVER_SPECS} › 3. MySQL Server › Capacity`,
  },
  workerJobsPerMinute: {
    value: 100,
    quote: '"100+ jobs/minute", "3-5 concurrent workers"',
    section: `${SERVER_SPECS} › 4. Queue Worker Server › Capacity`,
  },
  requestsPerUserPerMinute: {
    value: 10,
    quote: '"500 active users × 10 requests/min = 5,000 requests/min = 83 requests/second"',
    section: `${CAPACITY_PLANNING} › Load Capacity`,
  },
} as const satisfies Record<string, SeedFigure>;

/**
 * The headroom the seed prints at 83 req/s. Kept to compare with the arithmetic:
 * 200 / 83.3 is 2.4, which the seed rounds up to 2.5.
 */
export const SEED_STATED_HEADROOM: Readonly<Partial<Record<TierId, number>>> = {
  "load-balancer": 12,
  app: 2.5,
  redis: 120,
  mysql: 6,
};

/** The seed's name for the bottleneck at 500 users. */
export const SEED_STATED_BOTTLENECK = { tier: "app", quote: '"PHP-FPM workers"' } as const;

export interface SeedPhase {
  readonly phase: 1 | 2 | 3 | 4;
  readonly title: string;
  readonly section: string;
  /** From the phase's heading; null for phase 1 ("Users: Development only"). */
  readonly users: { readonly min: number; readonly max: number } | null;
  /** The phase's cost table's "Handles:" line, which names the next range up (not used). */
  readonly handlesLine: string;
  /** Servers the phase lists per tier. */
  readonly servers: Readonly<Record<TierId, number>>;
  /** A phase fact, not arithmetic: the fewest servers per tier the phase's promise needs. */
  readonly redundancyMinimum: Readonly<Record<TierId, number>>;
  /** How the servers are laid out, in the seed's words. */
  readonly layout: string;
}

const ONE_EACH: Record<TierId, number> = { "load-balancer": 1, app: 1, redis: 1, mysql: 1, worker: 1 };

/**
 * The seed's phases with the user ranges of their headings. The headings agree with
 * Capacity Planning (500 users is the 4-server phase 2); each cost table's "Handles:"
 * line names the next range up (phase 2: "500-5,000") and contradicts them.
 */
export const SEED_PHASES: readonly SeedPhase[] = [
  {
    phase: 1,
    title: "Development (Current)",
    section: "Phase 1: Development (Current)",
    users: null,
    handlesLine: "Development only",
    servers: ONE_EACH,
    redundancyMinimum: ONE_EACH,
    layout: "one machine runs everything",
  },
  {
    phase: 2,
    title: "Production Ready (0-500 Active Users)",
    section: "Phase 2: Production Ready (0-500 Active Users)",
    users: { min: 0, max: 500 },
    handlesLine: "500-5,000 active users",
    servers: ONE_EACH,
    redundancyMinimum: ONE_EACH,
    layout: "4 servers: HTTP (Nginx and the apps on one box), Redis, MySQL, queue worker (numprocs=3)",
  },
  {
    phase: 3,
    title: "Horizontal Scaling (500-5,000 Users)",
    section: "Phase 3: Horizontal Scaling (500-5,000 Users)",
    users: { min: 501, max: 5000 },
    handlesLine: "5,000-10,000 active users",
    servers: { "load-balancer": 1, app: 3, redis: 1, mysql: 1, worker: 3 },
    // HAProxy's `option httpchk` only routes around a failed app server if there is another.
    redundancyMinimum: { ...ONE_EACH, app: 2 },
    layout: "HAProxy, 3 HTTP servers, Redis and MySQL (both 'upgraded'), 3 workers",
  },
  {
    phase: 4,
    title: "High Availability (5,000-50,000 Users)",
    section: "Phase 4: High Availability (5,000-50,000 Users)",
    users: { min: 5001, max: 50_000 },
    handlesLine: "50,000+ active users",
    servers: { "load-balancer": 2, app: 5, redis: 3, mysql: 3, worker: 5 },
    // High availability: no tier may hang on one server; Sentinel needs 3 for a quorum of 2.
    redundancyMinimum: { "load-balancer": 2, app: 2, redis: 3, mysql: 2, worker: 2 },
    layout:
      "redundant load balancer, 5 HTTP servers, Redis Sentinel (3x), MySQL primary + 2 replicas, 5 workers",
  },
];

/** How each tier grows past one server, where adding servers is not the whole answer. */
export const TIER_SCALING_NOTES: Readonly<Partial<Record<TierId, string>>> = {
  redis:
    "Sentinel adds availability, not throughput: every write goes to the one primary; past one server, " +
    "split sessions, cache and queues over separate Redis instances",
  mysql:
    "replicas add read capacity only: writes go to the primary; the arithmetic assumes the queries are reads",
  "load-balancer":
    "a second load balancer is for availability (phase 4 'Redundant'); throughput needs a bigger box",
};
