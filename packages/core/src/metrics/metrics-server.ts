import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createMetricsAccess, type MetricsAccessConfig } from "./metrics-access.js";
import type { MargMetrics } from "./types.js";

export interface MetricsServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * A bare `/metrics` listener for processes that serve no app (the worker), with
 * the same access rules as the apps' route. No proxy sits in front of it, so the
 * socket's address is the client's.
 *
 * @example
 * const server = await startMetricsServer({ metrics: margMetrics(), access: config.metrics, port: 9464 });
 */
export async function startMetricsServer(options: {
  metrics: MargMetrics;
  access: MetricsAccessConfig;
  port: number;
  host?: string;
}): Promise<MetricsServer> {
  const canRead = createMetricsAccess(options.access);
  const server: Server = createServer((request, response) => {
    const path = (request.url ?? "/").split("?", 1)[0];
    const allowed = canRead({
      ip: request.socket.remoteAddress,
      authorization: request.headers.authorization,
    });
    if (request.method !== "GET" || path !== "/metrics" || !allowed) {
      response.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end("Not found\n");
      return;
    }
    options.metrics.scrape().then(
      ({ contentType, body }) =>
        response.writeHead(200, { "content-type": contentType, "cache-control": "no-store" }).end(body),
      () => response.writeHead(500, { "content-type": "text/plain; charset=utf-8" }).end("Scrape failed\n"),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, options.host ?? "127.0.0.1", () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
