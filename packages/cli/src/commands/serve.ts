import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

/**
 * `marg serve <app>`: one app in its own process on its own port, for phases 2–4
 * behind nginx or HAProxy. Migrations are not run here (deploy runs them once).
 */
export function registerServe(program: Command, ctx: CliContext): void {
  program
    .command("serve")
    .description(
      "Serve one app on its own port (phases 2–4: behind nginx or HAProxy); SIGTERM drains and exits 0",
    )
    .argument("<app>", "the app to serve, one of MARG_APPS (e.g. flow)")
    .option("--port <port>", "port to listen on (default: PORT)")
    .option("--host <host>", "address to listen on (default: HOST)")
    .action(
      ctx.action(async (id: string, options: { port?: string; host?: string }) => {
        const env = {
          ...ctx.env,
          ...(options.port === undefined ? {} : { PORT: options.port }),
          ...(options.host === undefined ? {} : { HOST: options.host }),
        };
        const [
          { installGracefulShutdown },
          { margMetrics, startMetricsServer },
          { selectApps },
          { appTitles, buildApp },
        ] = await Promise.all([
          import("@marg/core/web"),
          import("@marg/core/metrics"),
          import("../migration-sources.js"),
          import("../runtime/build-app.js"),
        ]);
        const installation = ctx.config();
        selectApps(installation, id);
        const titles = await appTitles(ctx.root, installation.app.apps);
        const built = await buildApp({ root: ctx.root, env, id, titles });
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
        await server
          .listen({ host: config.http.host, port: config.http.port })
          .catch(async (error: unknown) => {
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
        // Keeps running until a signal: the graceful shutdown exits the process.
        await new Promise(() => {});
        return EXIT.OK;
      }),
    );
}
