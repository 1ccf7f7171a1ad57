import type { FastifyInstance } from "fastify";
import { isMargError } from "../errors/index.js";
import { runHealthChecks } from "../health/run-health-checks.js";
import type { HealthCheck } from "../health/types.js";
import type { Platform } from "../platform/types.js";

/** Each check's budget: /health must answer within about a second even when a dependency hangs. */
const CHECK_TIMEOUT_MS = 800;

function databaseCheck(platform: Platform): HealthCheck {
  return {
    name: "database",
    async run() {
      const results = await Promise.all(
        (["app", "rbac"] as const).map((name) =>
          platform.databases.ping(name, { timeoutMs: CHECK_TIMEOUT_MS }),
        ),
      );
      const failed = results.find((result) => !result.ok);
      if (failed !== undefined) throw new Error(failed.code ?? "database did not answer");
      return undefined;
    },
  };
}

function redisCheck(platform: Platform): HealthCheck | undefined {
  const redis = platform.redis;
  if (redis === undefined) return undefined;
  return {
    name: "redis",
    async run() {
      try {
        await redis.ping(CHECK_TIMEOUT_MS);
      } catch (error) {
        // The public body names the failure by code only: no hosts or ports of the private network.
        throw new Error(isMargError(error) ? error.code : "redis did not answer");
      }
      return undefined;
    },
  };
}

/**
 * `/health` is readiness: 200 only when this server can really serve (database
 * and Redis answer), else 503, so HAProxy's `httpchk` takes it out of rotation.
 * `/health/live` is liveness for process supervisors: 200 while the process serves.
 * Neither is cached; extra checks (queue backlog) are passed in.
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  platform: Platform,
  extraChecks: readonly HealthCheck[] = [],
): void {
  app.get("/health/live", { config: { rateLimit: false } }, async (_request, reply) =>
    reply.header("cache-control", "no-store").send({ status: "alive" }),
  );
  app.get("/health", { config: { rateLimit: false } }, async (_request, reply) => {
    const redis = redisCheck(platform);
    const checks = [databaseCheck(platform), ...(redis === undefined ? [] : [redis]), ...extraChecks];
    const report = await runHealthChecks(checks, {
      timeoutMs: CHECK_TIMEOUT_MS,
      ...(redis === undefined ? { extra: { redis: "not used" } } : {}),
    });
    return reply
      .status(report.status === "healthy" ? 200 : 503)
      .header("cache-control", "no-store")
      .send(report);
  });
}
