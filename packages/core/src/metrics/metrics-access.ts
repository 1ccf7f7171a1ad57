import { createHash, timingSafeEqual } from "node:crypto";
import type { Secret } from "../config/secret.js";
import { createAddressAllowList } from "./address-allow-list.js";

/** Who may read /metrics: METRICS_ALLOW and METRICS_TOKEN. */
export interface MetricsAccessConfig {
  readonly allow: readonly string[];
  readonly token: Secret | undefined;
}

/** Decides from the client address and the Authorization header. */
export type MetricsAccess = (client: {
  ip: string | undefined;
  authorization: string | undefined;
}) => boolean;

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Allowed addresses, or `Authorization: Bearer <METRICS_TOKEN>` from anywhere.
 * The token is compared in constant time (both sides hashed to one length first).
 * The address is the one Fastify resolved through TRUSTED_PROXIES, so a client
 * behind nginx is judged by its own address, not nginx's loopback one.
 */
export function createMetricsAccess(config: MetricsAccessConfig): MetricsAccess {
  const allowed = createAddressAllowList(config.allow, "METRICS_ALLOW");
  const expected = config.token === undefined ? undefined : digest(config.token.reveal());
  return ({ ip, authorization }) => {
    if (allowed(ip)) return true;
    if (expected === undefined || authorization === undefined) return false;
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    return match?.[1] !== undefined && timingSafeEqual(digest(match[1]), expected);
  };
}
