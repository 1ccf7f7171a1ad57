import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

export function registerUp(program: Command, ctx: CliContext): void {
  program
    .command("up")
    .description("End maintenance mode on every server: every app, or the one --app names")
    .option("--app <id>", "only this app's `marg down --app`")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (flags: { app?: string; json?: boolean }) => {
        const out = ctx.output(flags.json === true);
        const [{ ALL_APPS, openMaintenanceStore }, { selectApps }] = await Promise.all([
          import("@marg/core/maintenance"),
          import("../migration-sources.js"),
        ]);
        const installation = ctx.config();
        if (flags.app !== undefined) selectApps(installation, flags.app);
        const config = flags.app === undefined ? installation : ctx.config(flags.app);
        const opened = await openMaintenanceStore(config);
        let removed: number;
        let stillDown = false;
        try {
          if (flags.app === undefined) {
            removed = await opened.store.removeAll();
          } else {
            removed = (await opened.store.remove(flags.app)) ? 1 : 0;
            stillDown = (await opened.store.list()).some((state) => state.scope === ALL_APPS);
          }
        } finally {
          await opened.close();
        }
        if (removed === 0 && !stillDown) out.line("Nothing was down.");
        else if (removed > 0) out.line(`Back up on every server (within about 2 seconds).`);
        if (stillDown) {
          out.warn(
            `${flags.app} is still down: \`marg down\` without --app holds every app. Run \`marg up\` to end it.`,
          );
        }
        out.result({ up: !stillDown, removed, stillDownForAllApps: stillDown });
        return stillDown ? EXIT.FAILURE : EXIT.OK;
      }),
    );
}
