import type { FastifyPluginAsync } from "fastify";
import fastifyPlugin from "fastify-plugin";
import {
  BYPASS_COOKIE,
  type MaintenanceAnswer,
  type MaintenanceCheck,
  type MaintenanceState,
  maintenanceHook,
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
// Async, so a refusal of the order rejects the registration (a callback plugin would hang).
const maintenance: FastifyPluginAsync<MaintenancePluginOptions> = async (app, options) => {
  registerBefore(app, PLUGIN.maintenance, PLUGIN.session);
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

  const answer: MaintenanceAnswer = (request, reply, verdict) => {
    if (verdict.kind === "unlock") {
      reply
        .header("set-cookie", unlockCookie(verdict.cookieValue))
        .header("cache-control", "no-store")
        .redirect("/", 303);
      return;
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
      return;
    }
    reply.type("text/html; charset=utf-8").send(options.renderPage(state));
  };

  app.addHook("onRequest", maintenanceHook(options.check, answer));
};

export const maintenancePlugin = fastifyPlugin(maintenance, {
  name: PLUGIN.maintenance,
  fastify: "5.x",
  dependencies: [PLUGIN.standardHeaders],
});
