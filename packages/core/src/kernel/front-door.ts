import type { FastifyInstance } from "fastify";
import {
  createAppDirectoryFallback,
  createHostRouter,
  installGracefulShutdown,
  type ShutdownCloser,
} from "../web/index.js";
import type { FrontDoor, FrontDoorOptions, Kernel, WebApp } from "./types.js";

/**
 * Phase 1 in one process: every app of MARG_APPS behind one port, routed by host
 * name (flow.marg.localhost, links.marg.localhost, …), an app directory for any
 * other host, and the worker beside them polling every second so a laptop feels
 * immediate. SIGTERM drains the apps, stops the worker, closes the services.
 */
export async function startFrontDoor(kernel: Kernel, options: FrontDoorOptions = {}): Promise<FrontDoor> {
  const installation = kernel.config();
  const built: WebApp[] = [];
  try {
    for (const id of installation.app.apps) built.push(await kernel.web(id));
  } catch (error) {
    await Promise.all(built.map((app) => app.platform.close()));
    throw error;
  }
  const byHost: Record<string, FastifyInstance> = {};
  for (const app of built) byHost[new URL(app.config.app.url).hostname] = app.server;
  const router = await createHostRouter({
    apps: byHost,
    fallback: createAppDirectoryFallback(
      built.map((app) => ({ name: app.definition.title, url: app.config.app.url })),
    ),
  });
  const { host, port } = installation.http;
  await new Promise<void>((resolve, reject) => {
    router.once("error", reject);
    router.listen(port, host, () => resolve());
  });
  const closers: ShutdownCloser[] = [];
  // The worker stops first (finishing its jobs), then the apps' services close.
  if (options.worker ?? installation.queue.connection !== "sync") {
    const level = installation.log.level;
    // The same worker as `marg work`, without its signal handling (the shutdown below stops it).
    const worker = await kernel.worker({
      log: { json: true, level: level === "info" ? "warn" : level },
      options: { sleepSeconds: 1, concurrency: 2, timeoutSeconds: 120 },
      metricsListener: false,
      handleSignals: false,
      exitWhenStuck: false,
    });
    closers.push({ name: "worker", close: () => worker.stop() });
  }
  closers.push(...built.map((app) => ({ name: app.definition.id, close: () => app.platform.close() })));
  const logger = built[0]?.platform.logger;
  if (logger !== undefined) {
    installGracefulShutdown({
      servers: [router],
      apps: built.map((app) => app.server),
      closers,
      timeoutSeconds: installation.http.shutdownTimeoutSeconds,
      logger,
    });
  }
  return { apps: built };
}
