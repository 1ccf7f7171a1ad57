import type { FastifyPluginCallback } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { enterRequestScope } from "../../context/index.js";
import { PLUGIN } from "./plugin-names.js";

/**
 * A request scope (AsyncLocalStorage: request id, connections written) around
 * every request, for read-your-writes routing and log correlation.
 */
const requestScope: FastifyPluginCallback = (app, _options, done) => {
  // A callback-style hook: the scope entered here is the async context the
  // handler runs in (an async hook would enter it in a promise that is left behind).
  app.addHook("onRequest", (request, _reply, next) => {
    enterRequestScope(request.id);
    next();
  });
  done();
};

export const requestScopePlugin = fastifyPlugin(requestScope, {
  name: PLUGIN.requestScope,
  fastify: "5.x",
  dependencies: [PLUGIN.standardHeaders],
});
