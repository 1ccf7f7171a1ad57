import { type BenchResults, type MeasuredFigure, measuredFigures } from "./bench-results.js";
import {
  ASSUMED_JOBS_PER_USER_PER_HOUR,
  type CapacityFigures,
  type CapacityInput,
  type CapacityPlan,
  planCapacity,
  SEED_CAPACITY_FIGURES,
} from "./capacity-plan.js";
import { SEED_FIGURES, type TierId } from "./seed-capacity.js";

/** What `marg capacity` reports: the seed's plan, and the measured one when a results file is given. */
export interface CapacityReport {
  readonly seed: { readonly figures: CapacityFigures; readonly plan: CapacityPlan };
  readonly measured: {
    readonly file: string;
    readonly date: string | undefined;
    readonly machine: BenchResults["machine"];
    readonly capacity: BenchResults["capacity"];
    /** Which figures came from the file; the rest are the seed's. */
    readonly measuredFigures: readonly MeasuredFigure[];
    readonly figures: CapacityFigures;
    readonly plan: CapacityPlan;
  } | null;
  /** How the numbers were derived and where the seed is read with care, one sentence each. */
  readonly derivation: readonly string[];
}

export const TIER_LABELS: Readonly<Record<TierId, { name: string; unit: string }>> = {
  "load-balancer": { name: "load balancer", unit: "req/s" },
  app: { name: "app servers", unit: "req/s" },
  redis: { name: "Redis", unit: "ops/s" },
  mysql: { name: "MySQL", unit: "queries/s" },
  worker: { name: "queue workers", unit: "jobs/min" },
};

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

function derivation(report: Omit<CapacityReport, "derivation">): string[] {
  const { plan } = report.seed;
  const measuredWork = report.measured?.figures;
  const work =
    measuredWork === undefined
      ? ""
      : `; measured: ${count(measuredWork.redisOpsPerRequest, "Redis op")} and ` +
        `${count(measuredWork.mysqlQueriesPerRequest, "MySQL query", "MySQL queries")} per request`;
  return [
    "requests/s = users × requests per user per minute ÷ 60 (the seed's Capacity Planning: 500 × 10 ÷ 60 = 83).",
    "Redis ops/s and MySQL queries/s = requests/s × 1 op and 1 query per request, as the seed's arithmetic " +
      `implies (83 req/s is its "120x" of 10,000 ops/s)${work}.`,
    plan.jobsAssumed
      ? `jobs/min = users ÷ 60: the seed gives no jobs per user, so ${ASSUMED_JOBS_PER_USER_PER_HOUR} job per active ` +
        "user per hour is assumed (1 per 600 requests at 10/min); --jobs-per-min sets the total."
      : "jobs/min as given by --jobs-per-min.",
    "servers needed = ceil(load ÷ one server's capacity), at least 1; headroom = one server's capacity ÷ load; " +
      "the bottleneck is the tier with the least headroom.",
    "Per-server figures are the seed's 1-vCPU servers (Phase 2 Server Specifications, Capacity Planning); " +
      `Nginx's "1,000+ concurrent requests/second" is read as 1,000 requests/s of throughput, as Capacity Planning does.`,
    "Phases by the user ranges of the seed's phase headings (2: up to 500, 3: 501-5,000, 4: 5,001-50,000), which " +
      `match Capacity Planning; the cost tables' "Handles:" lines name the next range up and are not used. ` +
      "The HA minimum is a phase fact (redundancy), not arithmetic.",
  ];
}

/** The seed's plan for the input, and the measured plan when `results` is given. */
export function buildCapacityReport(input: CapacityInput, results?: BenchResults): CapacityReport {
  let measured: CapacityReport["measured"] = null;
  if (results !== undefined) {
    const { figures, measured: measuredFigureNames } = measuredFigures(results.capacity);
    measured = {
      file: results.file,
      date: results.date,
      machine: results.machine,
      capacity: results.capacity,
      measuredFigures: measuredFigureNames,
      figures,
      plan: planCapacity(input, figures),
    };
  }
  const seed = { figures: SEED_CAPACITY_FIGURES, plan: planCapacity(input, SEED_CAPACITY_FIGURES) };
  return { seed, measured, derivation: derivation({ seed, measured }) };
}

/** The seed's quote for a tier's per-server figure, for --json readers who want the source. */
export const TIER_SOURCES: Readonly<Record<TierId, { quote: string; section: string }>> = {
  "load-balancer": SEED_FIGURES.loadBalancerRequestsPerSecond,
  app: SEED_FIGURES.appRequestsPerSecond,
  redis: SEED_FIGURES.redisOpsPerSecond,
  mysql: SEED_FIGURES.mysqlQueriesPerSecond,
  worker: SEED_FIGURES.workerJobsPerMinute,
};

/** The report for `--json`: the shared load and phase once, then each plan's tiers and bottleneck. */
export function capacityReportJson(report: CapacityReport) {
  const { plan } = report.seed;
  const { phase, beyond } = plan.phase;
  const { handlesLine, ...phaseFacts } = phase;
  return {
    users: plan.users,
    requestsPerUserPerMinute: plan.requestsPerUserPerMinute,
    requestsPerMinute: plan.requestsPerMinute,
    requestsPerSecond: plan.requestsPerSecond,
    jobsPerMinute: plan.jobsPerMinute,
    jobsAssumed: plan.jobsAssumed,
    phase: { ...phaseFacts, beyond, handlesLineNotUsed: handlesLine },
    seed: {
      figures: report.seed.figures,
      sources: TIER_SOURCES,
      tiers: plan.tiers,
      bottleneck: plan.bottleneck,
    },
    measured:
      report.measured === null
        ? null
        : {
            file: report.measured.file,
            date: report.measured.date ?? null,
            machine: report.measured.machine ?? null,
            capacity: report.measured.capacity,
            measuredFigures: report.measured.measuredFigures,
            figures: report.measured.figures,
            tiers: report.measured.plan.tiers,
            bottleneck: report.measured.plan.bottleneck,
          },
    derivation: report.derivation,
  };
}
