import { margMetrics, startMetricsServer } from "../metrics/index.js";
import { createPlatform } from "../platform/index.js";
import { installGracefulShutdown } from "../web/index.js";
import { createAppServer } from "./app-server.js";
import type { Kernel, ServedApp, ServeOptions, WebApp, WebOptions } from "./types.js";

/** What each app of the installation asks of the others' layouts: titles, access, off-site paths. */
async function appDirectory(kernel: Kernel, ids: readonly string[]) {
  const titles: Record<string, string> = {};
  const access: Record<string, readonly string[]> = {};
  const redirectsOffSite: Record<string, (pathname: string) => boolean> = {};
  for (const id of ids) {
    const definition = await kernel.definition(id);
    titles[id] = definition.title;
    // Apps without `access` are left out: everyone sees them in the switcher.
    if (definition.access !== undefined) access[id] = definition.access;
    // Links' short links: no app's sign-in sends anyone there.
    if (definition.redirectsOffSite !== undefined) redirectsOffSite[id] = definition.redirectsOffSite;
  }
  return { titles, access, redirectsOffSite };
}

/** One app's config, platform and (not yet listening) server, from its definition. */
export async function buildWebApp(kernel: Kernel, id: string, options: WebOptions = {}): Promise<WebApp> {
  const definition = await kernel.definition(id);
  const config = await kernel.appConfig(id);
  const { titles } = await appDirectory(kernel, kernel.config().app.apps);
  const { access, redirectsOffSite } = await appDirectory(kernel, config.app.apps);
  // QUEUE_CONNECTION=sync runs jobs inside dispatch(), in this process: it gets every job
  // the worker would run, bound to this app's platform (called, and loaded, only under sync).
  const platform = await createPlatform(config, {
    jobs: async (built) => {
      const { collectWorkerJobs } = await import("./worker-jobs.js");
      return (await collectWorkerJobs(kernel, built)).jobs;
    },
  });
  try {
    const server = await createAppServer(definition, platform, {
      access,
      redirectsOffSite,
      ...options.serverOptions,
      titles,
    });
    return { definition, config, platform, server };
  } catch (error) {
    await platform.close();
    throw error;
  }
}

/**
 * One app in its own process on its own port (phases 2–4, behind nginx or HAProxy):
 * listening, with its /metrics listener, and drained then closed on SIGTERM.
 */
export async function serveWebApp(
  kernel: Kernel,
  id: string,
  options: ServeOptions = {},
): Promise<ServedApp> {
  kernel.selectApps(id);
  const built = await buildWebApp(kernel, id, options);
  const { config, platform, server } = built;
  // A Prometheus on another server cannot reach the app (loopback, behind nginx): it
  // scrapes this listener instead, with the same allow-list and token as the app's route.
  const { host, port } = config.metrics.app;
  const metricsServer =
    port === 0
      ? undefined
      : await startMetricsServer({
          metrics: margMetrics(),
          access: config.metrics,
          host,
          port,
          settings: {
            port: "APP_METRICS_PORT",
            host: "APP_METRICS_HOST",
            clash: "another app on this server with the same APP_METRICS_PORT? Give each app its own",
          },
        }).catch(async (error: unknown) => {
          await platform.close();
          throw error;
        });
  await server.listen({ host: config.http.host, port: config.http.port }).catch(async (error: unknown) => {
    // An open listener would keep the process alive after the failed start.
    await metricsServer?.close();
    throw error;
  });
  if (metricsServer !== undefined) {
    platform.logger.info(
      { host, port: metricsServer.port },
      `metrics on http://${host}:${metricsServer.port}/metrics`,
    );
  }
  installGracefulShutdown({
    apps: [server],
    closers: [
      ...(metricsServer === undefined ? [] : [{ name: "metrics", close: () => metricsServer.close() }]),
      { name: "platform", close: () => platform.close() },
    ],
    timeoutSeconds: config.http.shutdownTimeoutSeconds,
    logger: platform.logger,
  });
  platform.logger.info(
    { url: config.app.url, port: config.http.port },
    `${built.definition.title} is serving`,
  );
  return { ...built, metricsServer };
}
