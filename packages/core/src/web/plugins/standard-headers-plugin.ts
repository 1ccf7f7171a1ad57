import type { FastifyPluginCallback } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { standardHeadersHook } from "../standard-headers.js";
import { PLUGIN } from "./plugin-names.js";

export interface StandardHeadersOptions {
  /** This app's Content-Security-Policy (naming its sibling apps). */
  readonly csp: string;
  /** Headers on every response (X-Marg-Version, X-Served-By). */
  readonly identity?: Readonly<Record<string, string>>;
}

/**
 * The security headers, the identity headers and the request id on every reply,
 * set first (one hook, one precomputed object) so errors raised by any later hook
 * carry them.
 */
const standardHeaders: FastifyPluginCallback<StandardHeadersOptions> = (app, options, done) => {
  app.addHook("onRequest", standardHeadersHook(options.csp, options.identity));
  done();
};

export const standardHeadersPlugin = fastifyPlugin(standardHeaders, {
  name: PLUGIN.standardHeaders,
  fastify: "5.x",
});
