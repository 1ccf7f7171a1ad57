import { createHash } from "node:crypto";
import rateLimit from "@fastify/rate-limit";
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from "fastify";
import type { ThrottleStore } from "../../auth/types.js";
import type { RateLimitConfig } from "../../config/config-types.js";
import { isMargError, MargError } from "../../errors/marg-error.js";
import { RATE_LIMIT_RULES, type RateLimitRule } from "./rate-limit-rules.js";
import { throttleRateLimitStore } from "./throttle-rate-limit-store.js";

type Check = ReturnType<FastifyInstance["createRateLimit"]>;
type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<void>;

/** Counters are keyed by a digest, so the store holds no address or email in clear. */
function counterKey(rule: RateLimitRule, who: string): string {
  return `rate:${rule.name}:${createHash("sha256").update(who).digest("base64url")}`;
}

function tooMany(rule: RateLimitRule, seconds: number): MargError {
  const wait =
    seconds >= 120 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} second${seconds === 1 ? "" : "s"}`;
  return new MargError("E_HTTP_RATE_LIMITED", `Too many ${rule.what}. Wait ${wait}, then try again.`, {
    status: 429,
    details: { retryAfterSeconds: seconds },
  });
}

/**
 * Registers @fastify/rate-limit over the shared throttle store and puts every rule
 * of RATE_LIMIT_RULES on the routes it names, as a preHandler (after the body is
 * parsed and the user loaded, so a rule can count per email address or per user).
 * Call it before any route is added. A request over any of its route's budgets is
 * refused with 429 `E_HTTP_RATE_LIMITED` and Retry-After (a page or JSON, by
 * Accept); a store that cannot be reached refuses with 503 rather than let
 * requests through uncounted.
 */
export async function installRateLimits(
  app: FastifyInstance,
  options: { readonly throttle: ThrottleStore; readonly limits: RateLimitConfig },
): Promise<void> {
  await app.register(rateLimit, { global: false, store: throttleRateLimitStore(options.throttle) });
  const checks: { rule: RateLimitRule; check: Check }[] = [];
  for (const rule of RATE_LIMIT_RULES) {
    const budget = rule.budget(options.limits);
    if (budget.max === 0) continue; // `0/…` turns a limit off
    const check = app.createRateLimit({
      max: budget.max,
      timeWindow: budget.windowMs,
      keyGenerator: (request) => counterKey(rule, rule.keyOf(request) ?? ""),
    });
    checks.push({ rule, check });
  }

  app.addHook("onRoute", (route: RouteOptions) => {
    const methods = [route.method].flat();
    const applying = checks.filter(
      ({ rule }) => rule.methods.some((method) => methods.includes(method)) && rule.matches(route.url),
    );
    if (applying.length === 0) return;
    const limit: Hook = async (request, reply) => {
      let refusal: { rule: RateLimitRule; seconds: number } | undefined;
      for (const { rule, check } of applying) {
        if (!rule.methods.includes(request.method) || rule.keyOf(request) === undefined) continue;
        const result = await check(request).catch((error: unknown) => {
          throw unavailable(error);
        });
        if (result.isAllowed || !result.isExceeded) continue;
        const seconds = Math.max(1, result.ttlInSeconds);
        if (refusal === undefined || seconds > refusal.seconds) refusal = { rule, seconds };
      }
      if (refusal === undefined) return;
      reply.header("retry-after", String(refusal.seconds));
      throw tooMany(refusal.rule, refusal.seconds);
    };
    const existing = route.preHandler === undefined ? [] : [route.preHandler].flat();
    route.preHandler = [...existing, limit] as RouteOptions["preHandler"];
  });
}

function unavailable(error: unknown): MargError {
  if (isMargError(error) && error.code !== "E_AUTH_THROTTLE_STORE") return error;
  return new MargError(
    "E_HTTP_RATE_LIMIT_UNAVAILABLE",
    "This form is unavailable for a moment: its rate limit could not be checked. Try again shortly.",
    { status: 503, cause: error },
  );
}
