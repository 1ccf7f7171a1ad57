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
        const { createKernel } = await import("@marg/core/kernel");
        await createKernel({ root: ctx.root, env }).serve(id);
        // Keeps running until a signal: the graceful shutdown exits the process.
        await new Promise(() => {});
        return EXIT.OK;
      }),
    );
}
