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
        const [{ installGracefulShutdown }, { selectApps }, { appTitles, buildApp }] = await Promise.all([
          import("@marg/core"),
          import("../migration-sources.js"),
          import("../runtime/build-app.js"),
        ]);
        const installation = ctx.config();
        selectApps(installation, id);
        const titles = await appTitles(ctx.root, installation.app.apps);
        const built = await buildApp({ root: ctx.root, env, id, titles });
        const { config, platform, server } = built;
        await server.listen({ host: config.http.host, port: config.http.port });
        installGracefulShutdown({
          apps: [server],
          closers: [{ name: "platform", close: () => platform.close() }],
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
