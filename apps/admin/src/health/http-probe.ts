import { lookup as dnsLookup } from "node:dns";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { LookupFunction } from "node:net";

export interface ProbeResponse {
  readonly status: number;
  readonly body: string;
}

/** Longest body read from a /health answer: a report is a few hundred bytes. */
const MAX_BODY = 64 * 1024;

/**
 * `*.localhost` is loopback by definition (RFC 6761), but the system resolver of
 * many hosts and containers does not know it: `flow.marg.localhost` — every app
 * on the laptop — would fail to resolve. Other names go to DNS as usual.
 */
const loopbackAwareLookup: LookupFunction = (hostname, options, callback) => {
  if (hostname === "localhost" || hostname.endsWith(".localhost")) {
    if (options.all === true) callback(null, [{ address: "127.0.0.1", family: 4 }]);
    else callback(null, "127.0.0.1", 4);
    return;
  }
  dnsLookup(hostname, options, callback);
};

/** GET `url` and read at most 64 KB of the answer; rejects on network errors and when `signal` aborts. */
export function probe(url: string, signal: AbortSignal): Promise<ProbeResponse> {
  const target = new URL(url);
  const request = target.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      target,
      {
        method: "GET",
        signal,
        lookup: loopbackAwareLookup,
        headers: { accept: "application/json", "user-agent": "marg-admin-health" },
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          if (body.length < MAX_BODY) body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: body.slice(0, MAX_BODY) }));
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    req.end();
  });
}
