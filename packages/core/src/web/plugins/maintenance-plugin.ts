import type { FastifyPluginCallback, FastifyReply, FastifyRequest } from "fastify";
import fastifyPlugin from "fastify-plugin";
import {
  BYPASS_COOKIE,
  type MaintenanceCheck,
  type MaintenanceState,
  type MaintenanceVerdict,
} from "../../maintenance/index.js";
import { wantsJson } from "../error-response.js";
import { PLUGIN } from "./plugin-names.js";
import { registerBefore } from "./plugin-order.js";

export interface MaintenancePluginOptions {
  /** Maintenance mode's decision for this app (`createMaintenanceCheck`). */
  readonly check: MaintenanceCheck;
  /** Where the bypass cookie is valid: SESSION_DOMAIN, so one visit unlocks every app. */
  readonly cookie: { readonly domain: string | undefined; readonly secure: boolean };
  readonly renderPage: (state: MaintenanceState) => string;
}

/** Twelve hours: long enough for a deploy, short enough that a forgotten cookie dies. */
const BYPASS_MAX_AGE_SECONDS = 12 * 3600;

/**
 * Answers maintenance mode's verdict: 503 with Retry-After and the maintenance
 * page or JSON while down, the bypass cookie for `/{secret}`. Registered before
 * the session plugin, so a down app never touches the session store.
 */
const maintenance: FastifyPluginCallback<MaintenancePluginOptions> = (app, options, done) => {
  registerBefore(app, PLUGIN.maintenance, PLUGIN.session);
  const { check } = options;
  const unlockCookie = (value: string) =>
    [
      `${BYPASS_COOKIE}=${value}`,
      "Path=/",
      `Max-Age=${BYPASS_MAX_AGE_SECONDS}`,
      "HttpOnly",
      "SameSite=Lax",
      ...(options.cookie.domain === undefined ? [] : [`Domain=${options.cookie.domain}`]),
      ...(options.cookie.secure ? ["Secure"] : []),
    ].join("; ");

  /** Sends the answer to a verdict; false when the request may go on. */
  function answer(request: FastifyRequest, reply: FastifyReply, verdict: MaintenanceVerdict): boolean {
    if (verdict.kind === "pass") return false;
    if (verdict.kind === "unlock") {
      reply
        .header("set-cookie", unlockCookie(verdict.cookieValue))
        .header("cache-control", "no-store")
        .redirect("/", 303);
      return true;
    }
    const { state } = verdict;
    reply.code(503).header("cache-control", "no-store");
    if (state.retryAfterSeconds !== null) reply.header("retry-after", String(state.retryAfterSeconds));
    if (wantsJson(request)) {
      reply.send({
        error: {
          code: "E_MAINTENANCE_MODE",
          message: state.message,
          requestId: request.id,
          retryAfterSeconds: state.retryAfterSeconds,
        },
      });
      return true;
    }
    reply.type("text/html; charset=utf-8").send(options.renderPage(state));
    return true;
  }

  // Callback style: while the app is up and the gate's cached read is fresh (the usual
  // case), a request passes without a promise or a store read.
  app.addHook("onRequest", (request, reply, next) => {
    const query = request.url.indexOf("?");
    const path = query === -1 ? request.url : request.url.slice(0, query);
    if (check.passesAtOnce(path)) {
      next();
      return;
    }
    // A reply sent here ends the request (next is not called); otherwise it goes on.
    check.decide({ path, ip: request.ip, cookieHeader: request.headers.cookie }).then((verdict) => {
      if (!answer(request, reply, verdict)) next();
    }, next);
  });
  done();
};

export const maintenancePlugin = fastifyPlugin(maintenance, {
  name: PLUGIN.maintenance,
  fastify: "5.x",
  dependencies: [PLUGIN.standardHeaders],
});
