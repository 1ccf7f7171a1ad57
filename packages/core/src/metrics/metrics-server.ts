import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { MargError } from "../errors/marg-error.js";
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
  /** The settings an error tells the operator to change (default: the worker's). */
  settings?: { readonly port: string; readonly host: string; readonly clash: string };
}): Promise<MetricsServer> {
  const settings = options.settings ?? {
    port: "WORKER_METRICS_PORT",
    host: "WORKER_METRICS_HOST",
    clash: "another worker with the same WORKER_INDEX? Give each worker of a server its own WORKER_INDEX",
  };
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
  const host = options.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", (error: NodeJS.ErrnoException) => {
      const taken = error.code === "EADDRINUSE";
      reject(
        new MargError(
          "E_CONFIG_INVALID",
          taken
            ? `Cannot serve /metrics on ${host}:${options.port}: the port is in use (${settings.clash}, ` +
                `or another ${settings.port} (0 serves none).`
            : `Cannot serve /metrics on ${host}:${options.port} (${error.code ?? error.message}). ` +
                `Set ${settings.host} to an address of this server, or ${settings.port}=0 to serve none.`,
          { cause: error },
        ),
      );
    });
    server.listen(options.port, host, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Prometheus keeps its connection open between scrapes; close() alone would wait for it.
        server.closeAllConnections();
      }),
  };
}
