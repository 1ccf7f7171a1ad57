// The seed's capacity table (its "Capacity Planning" section), restated next to
// what one MARG process measured in this run: headroom at the seed's 83 req/s,
// and how many 1-vCPU app servers each phase's load really needs.
import { formatCount } from "../harness/stats.js";
import type { MeasuredCapacity } from "./build-report.js";

export const SEED_LOAD = { users: 500, requestsPerUserPerMinute: 10 } as const;
export const SEED_REQUESTS_PER_SECOND = (SEED_LOAD.users * SEED_LOAD.requestsPerUserPerMinute) / 60;

/** Per 1-vCPU server, as the seed states them. */
export const SEED_FIGURES = {
  appRequestsPerSecond: 200, // PHP-FPM 200+ req/s
  jobsPerMinute: 100, // queue worker 100+ jobs/minute
} as const;

/** The top of each phase's user range (from the phase headings) and the app servers the seed gives it. */
export const SEED_PHASES = [
  { phase: 2, users: 500, seedAppServers: 1 },
  { phase: 3, users: 5_000, seedAppServers: 3 },
  { phase: 4, users: 50_000, seedAppServers: 5 },
] as const;

export interface SeedComparison {
  readonly seedRequestsPerSecond: number;
  readonly rows: readonly { figure: string; seed: string; marg: string; headroomAtSeedLoad: string }[];
  readonly phases: readonly {
    phase: number;
    users: number;
    requestsPerSecond: number;
    seedAppServers: number;
    seedArithmeticServers: number;
    margServers: number;
  }[];
}

const headroom = (capacity: number) => `${(capacity / SEED_REQUESTS_PER_SECOND).toFixed(0)}×`;

export function seedComparison(measured: MeasuredCapacity): SeedComparison | null {
  const app = measured.appRequestsPerSecond;
  if (app === undefined) return null;
  const rows: SeedComparison["rows"][number][] = [
    {
      figure: "app server, signed-in page + query (req/s, 1 core)",
      seed: "200+ (PHP-FPM)",
      marg: formatCount(app),
      headroomAtSeedLoad: `${headroom(200)} → ${headroom(app)}`,
    },
  ];
  if (measured.anonymousRequestsPerSecond !== undefined)
    rows.push({
      figure: "anonymous page (req/s, 1 core)",
      seed: "1,000+ (nginx, static)",
      marg: formatCount(measured.anonymousRequestsPerSecond),
      headroomAtSeedLoad: headroom(measured.anonymousRequestsPerSecond),
    });
  if (measured.workerJobsPerSecond !== undefined)
    rows.push({
      figure: "queue worker (jobs/min, 1 process)",
      seed: "100+",
      marg: formatCount(measured.workerJobsPerSecond * 60),
      headroomAtSeedLoad: "—",
    });
  return {
    seedRequestsPerSecond: Math.round(SEED_REQUESTS_PER_SECOND * 10) / 10,
    rows,
    phases: SEED_PHASES.map((entry) => {
      const load = (entry.users * SEED_LOAD.requestsPerUserPerMinute) / 60;
      return {
        phase: entry.phase,
        users: entry.users,
        requestsPerSecond: Math.round(load),
        seedAppServers: entry.seedAppServers,
        seedArithmeticServers: Math.ceil(load / SEED_FIGURES.appRequestsPerSecond),
        margServers: Math.max(1, Math.ceil(load / app)),
      };
    }),
  };
}
