import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";
import type { ProxyTrust } from "./proxy-trust.js";

/**
 * What an incoming X-Request-Id may look like to be kept: letters, digits and
 * `_ . : -`, at most 128 characters. That covers nginx's `$request_id` and
 * HAProxy's unique-id, and keeps log lines and headers free of injected text.
 */
export const REQUEST_ID_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

export const REQUEST_ID_HEADER = "x-request-id";

/**
 * Fastify's `genReqId`: keeps the id a trusted proxy sent (so one id follows a
 * request through nginx, HAProxy and the app), otherwise makes a new UUID.
 * A client talking to the app directly cannot choose its own id.
 */
export function createRequestIdGenerator(isTrustedProxy: ProxyTrust): (req: IncomingMessage) => string {
  return (req) => {
    const incoming = req.headers[REQUEST_ID_HEADER];
    if (
      typeof incoming === "string" &&
      REQUEST_ID_PATTERN.test(incoming) &&
      isTrustedProxy(req.socket.remoteAddress)
    ) {
      return incoming;
    }
    return randomUUID();
  };
}
