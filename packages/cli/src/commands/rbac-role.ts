import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { warnIfCacheMissed, withRbac } from "./rbac-context.js";

/** `marg rbac:role create|delete|list`: the roles of the shared RBAC database. */
export function registerRbacRole(program: Command, ctx: CliContext): void {
  const role = program
    .command("rbac:role")
    .description("Create, delete and list roles (shared by every app)")
    .addHelpText(
      "after",
      "\nExamples:\n  marg rbac:role create editor --description 'Edits content'\n  marg rbac:role list --json",
    );

  role
    .command("create <name>")
    .description("Create a role (lowercase letters, digits and dashes, like editor or super-admin)")
    .option("--description <text>", "what the role is for")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action((name: string, options: { description?: string; json?: boolean }) =>
        withRbac(ctx, async ({ rbac }) => {
          const out = ctx.output(options.json === true);
          const created = await rbac.createRole(name, options.description);
          out.line(
            `Role '${created.name}' created. Grant it permissions with \`marg rbac:grant ${created.name} PERMISSION\`.`,
          );
          out.result({ role: created.name, created: true });
          return EXIT.OK;
        }),
      ),
    );

  role
    .command("delete <name>")
    .description("Delete a role; its users lose what it granted, on every server within a second")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action((name: string, options: { json?: boolean }) =>
        withRbac(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          await opened.rbac.deleteRole(name);
          out.line(`Role '${name}' deleted.`);
          out.result({ role: name, deleted: true });
          if (name.trim() === opened.superAdminRole) {
            out.warn(
              "every super-admin lost the role with it, and the admin app cannot give it back; " +
                "`marg db:seed` creates it again, then `marg rbac:assign USER super-admin`.",
            );
          }
          warnIfCacheMissed(opened, out.warn);
          return EXIT.OK;
        }),
      ),
    );

  role
    .command("list")
    .description("List roles with their permissions and how many users have each")
    .option("--json", "print the roles as JSON")
    .action(
      ctx.action((options: { json?: boolean }) =>
        withRbac(ctx, async ({ rbac }) => {
          const out = ctx.output(options.json === true);
          const roles = await rbac.listRoles();
          out.result(
            roles.map((r) => ({
              name: r.name,
              description: r.description,
              permissions: r.permissions,
              users: r.userCount,
            })),
          );
          if (roles.length === 0)
            out.line("No roles yet. Run `marg db:seed` for the defaults, or `marg rbac:role create NAME`.");
          const width = Math.max(...roles.map((r) => r.name.length), 4);
          for (const r of roles) {
            const users = `${r.userCount} ${r.userCount === 1 ? "user" : "users"}`;
            out.line(
              `${r.name.padEnd(width)}  ${users.padEnd(9)}  ${r.permissions.join(", ") || "(no permissions)"}`,
            );
          }
          return EXIT.OK;
        }),
      ),
    );
}
