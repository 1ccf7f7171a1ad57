import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { lastSuperAdminWarning } from "./rbac-context.js";
import { withUsers } from "./user-context.js";

/**
 * `marg user:disable EMAIL`: no more sign-ins, every session ended (on whichever store
 * sessions live), every API token revoked. The CLI is the operator's root path, so
 * disabling the last super-admin is done, with a warning.
 */
export function registerUserDisable(program: Command, ctx: CliContext): void {
  program
    .command("user:disable <email>")
    .description("Disable a user: sign-in refused, every session ended, every API token revoked")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExample:\n  marg user:disable ann@example.com")
    .action(
      ctx.action((email: string, options: { json?: boolean }) =>
        withUsers(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const before = await opened.find(email);
          const wasLast = await opened.isLastActiveSuperAdmin(before.id);
          const changed = before.disabledAt === null;
          if (changed) await opened.users.disable(before.id);
          // Ended and revoked even when it was already disabled: a retry after a half-done run finishes the job.
          const sessionsEnded = await opened.endSessions(before.id);
          const announced = await opened.announceSessionsEnded(before.id, "user-disabled");
          const tokensRevoked = await opened.revokeTokens(before.id);
          if (changed) {
            await opened.events.record({
              type: "user.disabled",
              userId: before.id,
              actorId: null,
              detail: { via: "cli", sessionsEnded, tokensRevoked },
            });
          }
          out.line(
            changed
              ? `${before.email} is disabled: ${sessionsEnded} session(s) ended, ${tokensRevoked} API token(s) revoked.`
              : `Nothing to do: ${before.email} was already disabled (${sessionsEnded} session(s) ended, ${tokensRevoked} token(s) revoked).`,
          );
          out.result({ email: before.email, id: before.id, changed, sessionsEnded, tokensRevoked });
          if (wasLast && changed) out.warn(lastSuperAdminWarning(before.email));
          if (!announced) {
            out.warn(
              "session.ended could not be queued: apps that keep their own sessions (OpenID clients of the id app) " +
                "were not told. Check the queue (marg doctor), then run this command again.",
            );
          }
          return EXIT.OK;
        }),
      ),
    );
}

/** `marg user:enable EMAIL`: sign-in allowed again (sessions and tokens stay ended). */
export function registerUserEnable(program: Command, ctx: CliContext): void {
  program
    .command("user:enable <email>")
    .description("Enable a disabled user (ended sessions and revoked tokens stay so)")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExample:\n  marg user:enable ann@example.com")
    .action(
      ctx.action((email: string, options: { json?: boolean }) =>
        withUsers(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const before = await opened.find(email);
          const changed = before.disabledAt !== null;
          if (changed) {
            await opened.users.enable(before.id);
            await opened.events.record({
              type: "user.enabled",
              userId: before.id,
              actorId: null,
              detail: { via: "cli" },
            });
          }
          out.line(
            changed ? `${before.email} is enabled.` : `Nothing to do: ${before.email} was not disabled.`,
          );
          out.result({ email: before.email, id: before.id, changed });
          return EXIT.OK;
        }),
      ),
    );
}
