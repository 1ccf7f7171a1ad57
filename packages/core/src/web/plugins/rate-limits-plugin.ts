import type { FastifyPluginAsync } from "fastify";
import fastifyPlugin from "fastify-plugin";
import type { ThrottleStore } from "../../auth/types.js";
import type { RateLimitConfig } from "../../config/config-types.js";
import { installRateLimits } from "../rate-limits/install-rate-limits.js";
import { PLUGIN } from "./plugin-names.js";

export interface RateLimitsOptions {
  readonly throttle: ThrottleStore;
  readonly limits: RateLimitConfig;
}

/**
 * RATE_LIMIT_RULES on the routes they name (per address, email or user, so after
 * the current user). Before any route: each rule is put on its route as it is added.
 */
const rateLimits: FastifyPluginAsync<RateLimitsOptions> = async (app, options) => {
  await installRateLimits(app, options);
};

export const rateLimitsPlugin = fastifyPlugin(rateLimits, {
  name: PLUGIN.rateLimits,
  fastify: "5.x",
  dependencies: [PLUGIN.currentUser],
  decorators: { request: ["user"] },
});
