import type { FastifyPluginCallback } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { enterRequestScopeHook } from "../../context/index.js";
import { PLUGIN } from "./plugin-names.js";

/**
 * A request scope (AsyncLocalStorage: request id, connections written) around
 * every request, for read-your-writes routing and log correlation.
 */
const requestScope: FastifyPluginCallback = (app, _options, done) => {
  app.addHook("onRequest", enterRequestScopeHook);
  done();
};

export const requestScopePlugin = fastifyPlugin(requestScope, {
  name: PLUGIN.requestScope,
  fastify: "5.x",
  dependencies: [PLUGIN.standardHeaders],
});
