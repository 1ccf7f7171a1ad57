import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

/**
 * `marg oidc:keys list|rotate`: the id app's signing keys (id_db). `rotate` makes new
 * current keys (RS256, ES256); the previous ones keep being published in the JWKS for a
 * day, so tokens they signed still verify. Running servers sign with the new keys within
 * a minute.
 */
export function registerOidcKeys(program: Command, ctx: CliContext): void {
  program
    .command("oidc:keys <action>")
    .description("List or rotate the id app's OpenID Connect signing keys (action: list | rotate)")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExamples:\n  marg oidc:keys list\n  marg oidc:keys rotate")
    .action(
      ctx.action(async (action: string, options: { json?: boolean }) => {
        const out = ctx.output(options.json === true);
        if (action !== "list" && action !== "rotate") {
          out.error(`unknown action '${action}': use list or rotate.`);
          return EXIT.USAGE;
        }
        const { createLogger } = await import("@marg/core/logging");
        const { createPlatform } = await import("@marg/core/platform");
        const { idSigningKeys } = await import("@marg/id");
        const config = ctx.config();
        const platform = await createPlatform(config, {
          logger: createLogger({ app: config.app, log: { level: "silent" } }),
          // Dispatches nothing: no handlers are needed even under QUEUE_CONNECTION=sync.
          jobs: () => [],
        });
        try {
          const keys = idSigningKeys(platform);
          if (action === "rotate") {
            // The current keys exist before they are retired (a first rotation on a fresh install).
            await keys.load();
            const kids = await keys.rotate();
            out.line(`New signing keys: ${kids.join(", ")}. The previous ones stay published for a day.`);
            out.result({ rotated: kids });
            return EXIT.OK;
          }
          const listed = await keys.list();
          for (const key of listed) {
            const state =
              key.retiredAt === null ? "current" : `retired ${new Date(key.retiredAt).toISOString()}`;
            out.line(`${key.kid}  ${key.alg}  created ${new Date(key.createdAt).toISOString()}  ${state}`);
          }
          if (listed.length === 0) out.line("No signing keys yet: the id app makes them on first use.");
          out.result({ keys: listed });
          return EXIT.OK;
        } finally {
          await platform.close();
        }
      }),
    );
}
