import type { FastifyPluginCallback } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { createOriginGuard } from "../origin-guard.js";
import { PLUGIN } from "./plugin-names.js";

/**
 * Refuses a state-changing request from a page that is not one of the apps
 * (`origins`), or one carrying two session cookies, before its body is read and
 * before the CSRF check (see origin-guard.ts for why the token alone is not enough).
 */
const originGuard: FastifyPluginCallback<{ readonly origins: Iterable<string> }> = (app, options, done) => {
  app.addHook("onRequest", createOriginGuard(options.origins));
  done();
};

export const originGuardPlugin = fastifyPlugin(originGuard, {
  name: PLUGIN.originGuard,
  fastify: "5.x",
  dependencies: [PLUGIN.session],
  decorators: { request: ["session"] },
});
