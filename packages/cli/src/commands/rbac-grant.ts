import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { type RbacCommandContext, warnIfCacheMissed, withRbac } from "./rbac-context.js";

interface GrantOptions {
  user?: boolean;
  json?: boolean;
}

/** Shared by grant and revoke: a role, or with --user a user named by email or id. */
async function change(
  opened: RbacCommandContext,
  verb: "grant" | "revoke",
  target: string,
  permission: string,
  options: GrantOptions,
) {
  const { rbac } = opened;
  if (options.user) {
    const userId = await rbac.resolveUser(target);
    const { changed } =
      verb === "grant"
        ? await rbac.grantToUser(userId, permission)
        : await rbac.revokeFromUser(userId, permission);
    return { changed, subject: `user ${target}` };
  }
  const { changed } =
    verb === "grant" ? await rbac.grant(target, permission) : await rbac.revoke(target, permission);
  return { changed, subject: `role '${target}'` };
}

function register(program: Command, ctx: CliContext, verb: "grant" | "revoke"): void {
  const done = verb === "grant" ? "now has" : "no longer has";
  const already = verb === "grant" ? "already had" : "did not have";
  program
    .command(`rbac:${verb} <role> <permission>`)
    .description(
      verb === "grant"
        ? "Give a role a permission (or, with --user, one user directly)"
        : "Take a permission from a role (or, with --user, a direct grant from one user)",
    )
    .option("--user", "the first argument is a user (email or id), not a role")
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      `\nExamples:\n  marg rbac:${verb} member tasks.update\n  marg rbac:${verb} --user ann@example.com links.delete`,
    )
    .action(
      ctx.action((target: string, permission: string, options: GrantOptions) =>
        withRbac(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const { changed, subject } = await change(opened, verb, target, permission, options);
          out.line(
            changed
              ? `${subject} ${done} '${permission}'.`
              : `Nothing to do: ${subject} ${already} '${permission}'.`,
          );
          out.result({ [options.user ? "user" : "role"]: target, permission, changed });
          warnIfCacheMissed(opened, out.warn);
          return EXIT.OK;
        }),
      ),
    );
}

/** `marg rbac:grant ROLE PERMISSION` (and `--user USER PERMISSION`). */
export function registerRbacGrant(program: Command, ctx: CliContext): void {
  register(program, ctx, "grant");
}

/** `marg rbac:revoke ROLE PERMISSION` (and `--user USER PERMISSION`). */
export function registerRbacRevoke(program: Command, ctx: CliContext): void {
  register(program, ctx, "revoke");
}
