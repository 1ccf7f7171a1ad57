import type { FastifyPluginCallback } from "fastify";
import fastifyPlugin from "fastify-plugin";
import type { SecondFactorServices } from "../../auth/second-factors.js";
import type { TwoFactorRequirement } from "../../config/env-values.js";
import { twoFactorRequirementHook } from "../auth/two-factor-requirement.js";
import { PLUGIN } from "./plugin-names.js";

/**
 * AUTH_REQUIRE_2FA: those it names set up two-factor sign-in before any other page of any
 * app. Off (no hook at all) when nobody is named, so the ordinary request path pays nothing.
 */
const twoFactorRequirement: FastifyPluginCallback<{
  readonly requirement: TwoFactorRequirement;
  /** Two-factor and passkeys: either one satisfies the requirement. */
  readonly accounts: SecondFactorServices;
}> = (app, { requirement, accounts }, done) => {
  if (requirement !== "none") app.addHook("preHandler", twoFactorRequirementHook(requirement, accounts));
  done();
};

export const twoFactorRequirementPlugin = fastifyPlugin(twoFactorRequirement, {
  name: PLUGIN.twoFactorRequirement,
  fastify: "5.x",
  dependencies: [PLUGIN.currentUser, PLUGIN.permissions],
  decorators: { request: ["user", "permissions"] },
});
