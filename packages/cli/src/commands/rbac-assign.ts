import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { lastSuperAdminWarning, warnIfCacheMissed, withRbac } from "./rbac-context.js";

function register(program: Command, ctx: CliContext, verb: "assign" | "unassign"): void {
  program
    .command(`rbac:${verb} <user> <role>`)
    .description(verb === "assign" ? "Give a user a role (user by email or id)" : "Take a role from a user")
    .option("--json", "print the result as JSON")
    .addHelpText("after", `\nExample:\n  marg rbac:${verb} ann@example.com editor`)
    .action(
      ctx.action((user: string, role: string, options: { json?: boolean }) =>
        withRbac(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const userId = await opened.rbac.resolveUser(user);
          // The operator's root path is never refused, but taking the last super-admin is worth a word.
          const wasLast =
            verb === "unassign" && role.trim() === opened.superAdminRole
              ? await opened.policy.isLastActiveSuperAdmin(userId)
              : false;
          const { changed } =
            verb === "assign"
              ? await opened.rbac.assign(userId, role)
              : await opened.rbac.unassign(userId, role);
          const text =
            verb === "assign"
              ? changed
                ? `${user} now has role '${role}'.`
                : `Nothing to do: ${user} already had role '${role}'.`
              : changed
                ? `${user} no longer has role '${role}'.`
                : `Nothing to do: ${user} did not have role '${role}'.`;
          out.line(text);
          out.result({ user, userId, role, changed });
          if (wasLast && changed) out.warn(lastSuperAdminWarning(user));
          warnIfCacheMissed(opened, out.warn);
          return EXIT.OK;
        }),
      ),
    );
}

/** `marg rbac:assign USER ROLE`. */
export function registerRbacAssign(program: Command, ctx: CliContext): void {
  register(program, ctx, "assign");
}

/** `marg rbac:unassign USER ROLE`. */
export function registerRbacUnassign(program: Command, ctx: CliContext): void {
  register(program, ctx, "unassign");
}
