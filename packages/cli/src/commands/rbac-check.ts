import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { withRbac } from "./rbac-context.js";

/** `marg rbac:check USER PERMISSION`: yes or no, and which role or grant decides it. */
export function registerRbacCheck(program: Command, ctx: CliContext): void {
  program
    .command("rbac:check <user> <permission>")
    .description(
      "Say whether a user may do something, and why (which role or direct grant); read fresh from the database",
    )
    .option("--app <app>", "check as this app does (permissions scoped to other apps do not count)")
    .option("--json", "print the answer as JSON")
    .addHelpText(
      "after",
      "\nExit code 0 for both yes and no; 1 for an unknown user, 2 for a malformed name.\nExample:\n  marg rbac:check ann@example.com tasks.update --app flow",
    )
    .action(
      ctx.action((user: string, permission: string, options: { app?: string; json?: boolean }) =>
        withRbac(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const userId = await opened.rbac.resolveUser(user);
          // --app needs a service that answers as that app; reading is fresh either way.
          const { RbacService } = await import("./rbac-core.js");
          const rbac =
            options.app === undefined
              ? opened.rbac
              : new RbacService({ repository: opened.repository, users: opened.users, app: options.app });
          const answer = await rbac.explain(userId, permission);
          out.line(`${answer.allowed ? "yes" : "no"}: ${answer.because}`);
          out.result({ user, userId, permission, app: options.app ?? null, ...answer });
          return EXIT.OK;
        }),
      ),
    );
}
