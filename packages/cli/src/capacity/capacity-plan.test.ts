import { describe, expect, it } from "vitest";
import {
  bottleneckOf,
  phaseFor,
  planCapacity,
  planTiers,
  SEED_CAPACITY_FIGURES,
  type TierInPhase,
} from "./capacity-plan.js";
import { SEED_STATED_BOTTLENECK, SEED_STATED_HEADROOM, type TierId } from "./seed-capacity.js";

const seedPlan = (users: number, requestsPerUserPerMinute = 10, jobsPerMinute?: number) =>
  planCapacity(
    { users, requestsPerUserPerMinute, ...(jobsPerMinute === undefined ? {} : { jobsPerMinute }) },
    SEED_CAPACITY_FIGURES,
  );

function tier(plan: { tiers: readonly TierInPhase[] }, id: TierId): TierInPhase {
  const found = plan.tiers.find((entry) => entry.tier === id);
  if (found === undefined) throw new Error(`no tier ${id}`);
  return found;
}

describe("the seed's capacity arithmetic, reproduced", () => {
  const plan = seedPlan(500);

  it("turns 500 active users × 10 requests/min into 5,000 requests/min and 83 requests/s", () => {
    expect(plan.requestsPerMinute).toBe(5000);
    expect(plan.requestsPerSecond).toBeCloseTo(83.33, 2);
    expect(Math.floor(plan.requestsPerSecond)).toBe(83);
  });

  it("gives the seed's headroom: Nginx 12x, PHP-FPM 2.4x (printed 2.5x), Redis 120x, MySQL 6x", () => {
    expect(tier(plan, "load-balancer").headroom).toBeCloseTo(12, 5);
    expect(tier(plan, "app").headroom).toBeCloseTo(2.4, 5);
    expect(tier(plan, "redis").headroom).toBeCloseTo(120, 5);
    expect(tier(plan, "mysql").headroom).toBeCloseTo(6, 5);
    // The seed's printed figures, within its own rounding (it rounds 2.4 up to 2.5).
    for (const [id, stated] of Object.entries(SEED_STATED_HEADROOM)) {
      expect(Math.abs((tier(plan, id as TierId).headroom ?? 0) - stated), id).toBeLessThanOrEqual(0.1);
    }
  });

  it("names the app tier (the seed's PHP-FPM workers) as the bottleneck", () => {
    expect(plan.bottleneck).toBe("app");
    expect(plan.bottleneck).toBe(SEED_STATED_BOTTLENECK.tier);
  });

  it("lands 500 users in phase 2, whose one server per tier is enough", () => {
    expect(plan.phase).toMatchObject({ phase: { phase: 2 }, beyond: false });
    expect(plan.tiers.every((entry) => entry.serversNeeded === 1 && entry.phaseHasEnough)).toBe(true);
  });

  it("assumes one job per user per hour when no job rate is given: 8.3/min against 100/min", () => {
    expect(plan.jobsAssumed).toBe(true);
    expect(plan.jobsPerMinute).toBeCloseTo(500 / 60, 5);
    expect(tier(plan, "worker").headroom).toBeCloseTo(12, 5);
    const given = seedPlan(500, 10, 250);
    expect(given.jobsAssumed).toBe(false);
    expect(tier(given, "worker").serversNeeded).toBe(3);
  });
});

describe("phases by the user ranges of the seed's headings", () => {
  it.each([
    [1, 2, false],
    [500, 2, false],
    [501, 3, false],
    [5000, 3, false],
    [5001, 4, false],
    [50_000, 4, false],
    [50_001, 4, true],
    [1_000_000, 4, true],
  ])("%i users land in phase %i (beyond the seed: %s)", (users, phase, beyond) => {
    expect(phaseFor(users)).toMatchObject({ phase: { phase }, beyond });
  });
});

describe("servers needed per tier", () => {
  it("at 1 user needs one server per tier, each with plenty of headroom", () => {
    const plan = seedPlan(1);
    expect(plan.tiers.map((entry) => entry.serversNeeded)).toEqual([1, 1, 1, 1, 1]);
    expect(tier(plan, "app").headroom).toBeCloseTo(1200, 5);
  });

  it("at 5,000 users (833 req/s) needs 5 app servers where phase 3 lists 3, and 2 MySQL where it lists 1", () => {
    const plan = seedPlan(5000);
    expect(tier(plan, "app")).toMatchObject({ serversNeeded: 5, phaseServers: 3, phaseHasEnough: false });
    expect(tier(plan, "mysql")).toMatchObject({ serversNeeded: 2, phaseServers: 1, phaseHasEnough: false });
    expect(tier(plan, "load-balancer")).toMatchObject({ serversNeeded: 1, phaseHasEnough: true });
    expect(tier(plan, "app").redundancyMinimum).toBe(2);
  });

  it("at 50,000 users (8,333 req/s) needs 42 app servers, 9 load balancers, 17 MySQL and 1 Redis", () => {
    const plan = seedPlan(50_000);
    expect(plan.requestsPerSecond).toBeCloseTo(8333.33, 1);
    expect(tier(plan, "app").serversNeeded).toBe(42);
    expect(tier(plan, "load-balancer").serversNeeded).toBe(9);
    expect(tier(plan, "mysql").serversNeeded).toBe(17);
    expect(tier(plan, "redis").serversNeeded).toBe(1);
    expect(plan.bottleneck).toBe("app");
  });

  it("keeps the redundancy minimum apart from the arithmetic: phase 4 Redis needs 1 by load, 3 for Sentinel", () => {
    const redis = tier(seedPlan(20_000), "redis");
    expect(redis).toMatchObject({ serversNeeded: 1, redundancyMinimum: 3, serversWithRedundancy: 3 });
  });

  it("counts a server exactly at capacity as enough: 1,000 req/s needs 5 app servers, not 6", () => {
    const tiers = planTiers({ requestsPerSecond: 1000, jobsPerMinute: 100 }, SEED_CAPACITY_FIGURES);
    expect(tiers.find((entry) => entry.tier === "app")?.serversNeeded).toBe(5);
    expect(tiers.find((entry) => entry.tier === "worker")?.serversNeeded).toBe(1);
  });

  it("scales Redis and MySQL load with the work per request", () => {
    const tiers = planTiers(
      { requestsPerSecond: 100, jobsPerMinute: 1 },
      { ...SEED_CAPACITY_FIGURES, redisOpsPerRequest: 3, mysqlQueriesPerRequest: 0 },
    );
    expect(tiers.find((entry) => entry.tier === "redis")?.load).toBe(300);
    expect(tiers.find((entry) => entry.tier === "mysql")).toMatchObject({
      load: 0,
      headroom: null,
      serversNeeded: 1,
    });
  });
});

describe("the bottleneck", () => {
  it("moves to the workers when requests are rare and jobs are not", () => {
    expect(seedPlan(500, 1).bottleneck).toBe("worker");
  });

  it("is none when no tier has load, and the first listed on a tie", () => {
    const idle = planTiers(
      { requestsPerSecond: 0, jobsPerMinute: 0 },
      { ...SEED_CAPACITY_FIGURES, redisOpsPerRequest: 0, mysqlQueriesPerRequest: 0 },
    );
    expect(bottleneckOf(idle)).toBeNull();
    const tied = planTiers(
      { requestsPerSecond: 100, jobsPerMinute: 1 },
      { ...SEED_CAPACITY_FIGURES, loadBalancerRequestsPerSecond: 200 },
    );
    expect(bottleneckOf(tied)).toBe("load-balancer");
  });
});
