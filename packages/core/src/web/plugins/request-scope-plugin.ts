import type { FastifyPluginCallback } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { enterRequestScope, requestScopesRequired } from "../../context/index.js";
import { PLUGIN } from "./plugin-names.js";

export interface RequestScopePluginOptions {
  /**
   * Enter a scope on every request from the first one: the config routes reads to
   * replicas (connections open lazily, so the database layer has not said so yet).
   */
  readonly always: boolean;
}

/**
 * A request scope (AsyncLocalStorage: request id, connections written) around each
 * request, for read-your-writes routing, entered only when something reads it: the
 * config has replicas, or a part of the process called `requireRequestScopes()`. On
 * Node 20 the first `enterWith` turns on a hook that runs for every promise the
 * process creates (~14% of a signed-in page's CPU in `npm run bench`), so a process
 * without replicas never pays it.
 */
const requestScope: FastifyPluginCallback<RequestScopePluginOptions> = (app, options, done) => {
  const always = options.always;
  // Callback style: the scope entered here is the async context the handler runs in.
  app.addHook("onRequest", (request, _reply, next) => {
    if (always || requestScopesRequired()) enterRequestScope(request.id);
    next();
  });
  done();
};

export const requestScopePlugin = fastifyPlugin(requestScope, {
  name: PLUGIN.requestScope,
  fastify: "5.x",
  dependencies: [PLUGIN.standardHeaders],
});
