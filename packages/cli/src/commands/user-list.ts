import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { withUsers } from "./user-context.js";

const when = (ms: number | null) =>
  ms === null ? "never" : new Date(ms).toISOString().replace(/\.\d+Z$/, "Z");

/** `marg user:list [--disabled] [--json]`: every account with its roles, state, last sign-in and 2FA. */
export function registerUserList(program: Command, ctx: CliContext): void {
  program
    .command("user:list")
    .description("List users: email, name, roles, disabled, last sign-in, two-factor")
    .option("--disabled", "only disabled users")
    .option("--json", "print the users as JSON")
    .addHelpText("after", "\nExamples:\n  marg user:list\n  marg user:list --disabled --json")
    .action(
      ctx.action((options: { disabled?: boolean; json?: boolean }) =>
        withUsers(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const rows = await opened.list(options.disabled === true ? "disabled" : "all");
          out.result(
            rows.map(({ user, roles, twoFactor }) => ({
              id: user.id,
              email: user.email,
              name: user.name,
              roles,
              disabled: user.disabledAt !== null,
              lastSignInAt: user.lastLoginAt,
              twoFactor,
            })),
          );
          if (rows.length === 0) {
            out.line(
              options.disabled === true
                ? "No disabled users."
                : "No users yet. Create the first admin: marg user:create EMAIL --role super-admin",
            );
          }
          const width = Math.max(...rows.map(({ user }) => user.email.length), 5);
          for (const { user, roles, twoFactor } of rows) {
            const flags = [user.disabledAt !== null ? "disabled" : "active", twoFactor ? "2fa" : "no 2fa"];
            out.line(
              `${user.email.padEnd(width)}  ${user.name}  [${roles.join(", ") || "no roles"}]  ${flags.join(", ")}  last sign-in ${when(user.lastLoginAt)}`,
            );
          }
          return EXIT.OK;
        }),
      ),
    );
}
