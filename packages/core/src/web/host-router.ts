import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { FastifyInstance } from "fastify";

export type RawHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface HostRouterOptions {
  /** Hostname without port (`flow.marg.localhost`) → the app that answers it. */
  apps: Readonly<Record<string, FastifyInstance>>;
  /** Answers every other host, e.g. `createAppDirectoryFallback(...)`. */
  fallback: RawHandler;
}

/** `Flow.Marg.Localhost:8000` → `flow.marg.localhost`; `[::1]:8000` → `[::1]`; missing → "". */
export function hostnameOf(hostHeader: string | undefined): string {
  const host = (hostHeader ?? "").trim().toLowerCase();
  const name = host.startsWith("[") ? host.slice(0, host.indexOf("]") + 1) : (host.split(":", 1)[0] ?? "");
  return name.endsWith(".") ? name.slice(0, -1) : name;
}

/**
 * The phase-1 front door: one node:http server on one port that hands each
 * request to the Fastify app named by its Host header, through Fastify's own
 * router (`app.routing(req, res)`), so every app keeps its hooks, logging and
 * error pages as if it listened alone. Waits for every app to be ready.
 *
 * @example
 * const server = await createHostRouter({
 *   apps: { "flow.marg.localhost": flow, "links.marg.localhost": links },
 *   fallback: createAppDirectoryFallback([{ name: "flow", url: "http://flow.marg.localhost:8000" }]),
 * });
 * server.listen(8000, "127.0.0.1");
 */
export async function createHostRouter(options: HostRouterOptions): Promise<Server> {
  const table = new Map<string, FastifyInstance>();
  for (const [host, app] of Object.entries(options.apps)) table.set(hostnameOf(host), app);
  await Promise.all([...table.values()].map((app) => app.ready()));
  return createServer((req, res) => {
    const app = table.get(hostnameOf(req.headers.host));
    if (app === undefined) options.fallback(req, res);
    else app.routing(req, res);
  });
}
