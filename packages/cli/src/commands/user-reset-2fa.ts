import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { withUsers } from "./user-context.js";

/**
 * `marg user:reset-2fa EMAIL`: a person lost the phone (and the recovery codes). Removes
 * the authenticator app's secret, every recovery code and every passkey, so the password
 * alone signs in until they set two-factor up again; recorded as `two-factor.disabled`
 * with no actor (the operator's CLI). Sessions stay signed in.
 */
export function registerUserResetTwoFactor(program: Command, ctx: CliContext): void {
  program
    .command("user:reset-2fa <email>")
    .description(
      "Turn off a user's two-factor sign-in (lost phone): authenticator app, recovery codes and passkeys",
    )
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      [
        "",
        "Their password alone signs them in afterwards; with AUTH_REQUIRE_2FA they are asked to",
        "set two-factor up again at once. Make sure it is really them asking.",
        "",
        "Examples:",
        "  marg user:reset-2fa ann@example.com",
        "  marg user:reset-2fa ann@example.com --json",
      ].join("\n"),
    )
    .action(
      ctx.action((email: string, options: { json?: boolean }) =>
        withUsers(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const user = await opened.find(email);
          const reset = await opened.resetTwoFactor(user.id);
          const changed = reset.totpRemoved || reset.recoveryCodesRemoved > 0 || reset.passkeysRemoved > 0;
          if (changed) {
            await opened.events.record({
              type: "two-factor.disabled",
              userId: user.id,
              actorId: null,
              detail: { via: "cli", passkeysRemoved: reset.passkeysRemoved },
            });
          }
          out.line(
            changed
              ? `Two-factor sign-in of ${user.email} is off: authenticator app ${reset.totpRemoved ? "removed" : "none"}, ` +
                  `${reset.recoveryCodesRemoved} recovery code(s) and ${reset.passkeysRemoved} passkey(s) removed.`
              : `Nothing to do: ${user.email} had no two-factor sign-in.`,
          );
          out.result({ email: user.email, id: user.id, changed, ...reset });
          return EXIT.OK;
        }),
      ),
    );
}
