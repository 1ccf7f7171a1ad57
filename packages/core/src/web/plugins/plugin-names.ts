import { SESSION_PLUGIN } from "../../session/session-plugin.js";

/**
 * The request path's plugins by name, in the order an app server registers them.
 * Each plugin lists the ones it needs in `dependencies`, and Fastify refuses to
 * start when one is missing or comes later (FST_ERR_PLUGIN_NOT_PRESENT_IN_INSTANCE);
 * the two that must come *before* the session say so with `registerBefore`.
 */
export const PLUGIN = {
  standardHeaders: "marg-standard-headers",
  requestScope: "marg-request-scope",
  httpMetrics: "marg-http-metrics",
  maintenance: "marg-maintenance",
  stickyReads: "marg-sticky-reads",
  session: SESSION_PLUGIN,
  originGuard: "marg-origin-guard",
  currentUser: "marg-current-user",
  bearerToken: "marg-bearer-token",
  csrf: "marg-csrf",
  permissions: "marg-permissions",
  twoFactorRequirement: "marg-two-factor-requirement",
  rateLimits: "marg-rate-limits",
} as const;
