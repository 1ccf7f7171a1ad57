import type { FastifyPluginCallback } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { csrfGuard } from "../csrf-guard.js";
import { PLUGIN } from "./plugin-names.js";

/**
 * The session's CSRF token on every state-changing request (a preHandler: after
 * the body is parsed, after the origin guard has refused foreign pages).
 */
const csrf: FastifyPluginCallback = (app, _options, done) => {
  app.addHook("preHandler", csrfGuard);
  done();
};

export const csrfPlugin = fastifyPlugin(csrf, {
  name: PLUGIN.csrf,
  fastify: "5.x",
  dependencies: [PLUGIN.session, PLUGIN.originGuard],
  decorators: { request: ["session"] },
});
