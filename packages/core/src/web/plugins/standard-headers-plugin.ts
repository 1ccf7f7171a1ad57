import type { FastifyPluginCallback } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { identityHeadersHook, standardHeadersHook } from "../standard-headers.js";
import { PLUGIN } from "./plugin-names.js";

export interface StandardHeadersOptions {
  /** This app's Content-Security-Policy (naming its sibling apps). */
  readonly csp: string;
  /** Headers on every response after the handler ran (X-Marg-Version, X-Served-By). */
  readonly identity?: Readonly<Record<string, string>>;
}

/**
 * The security headers and the request id on every reply, set first so errors
 * raised by any later hook carry them; the identity headers on send.
 */
const standardHeaders: FastifyPluginCallback<StandardHeadersOptions> = (app, options, done) => {
  app.addHook("onRequest", standardHeadersHook(options.csp));
  const { identity } = options;
  if (identity !== undefined && Object.keys(identity).length > 0) {
    app.addHook("onSend", identityHeadersHook(identity));
  }
  done();
};

export const standardHeadersPlugin = fastifyPlugin(standardHeaders, {
  name: PLUGIN.standardHeaders,
  fastify: "5.x",
});
