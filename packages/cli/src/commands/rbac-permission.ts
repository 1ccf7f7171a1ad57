import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { warnIfCacheMissed, withRbac } from "./rbac-context.js";

/** `marg rbac:permission create|delete|list`. */
export function registerRbacPermission(program: Command, ctx: CliContext): void {
  const permission = program
    .command("rbac:permission")
    .description("Create, delete and list permissions (tasks.create, links.*, …)")
    .addHelpText(
      "after",
      "\nNames are lowercase words separated by dots; a whole segment may be * (tasks.*, or * for everything).\n" +
        "Examples:\n  marg rbac:permission create reports.export --app flow\n  marg rbac:permission list --app links",
    );

  permission
    .command("create <name>")
    .description("Create a permission, optionally scoped to one app")
    .option("--app <app>", "the app it belongs to (flow, links, admin); it then counts only there")
    .option("--description <text>", "what it allows")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action((name: string, options: { app?: string; description?: string; json?: boolean }) =>
        withRbac(ctx, async ({ rbac }) => {
          const out = ctx.output(options.json === true);
          const created = await rbac.createPermission(name, {
            ...(options.app === undefined ? {} : { app: options.app }),
            ...(options.description === undefined ? {} : { description: options.description }),
          });
          const scope = created.app === null ? "" : ` (app ${created.app})`;
          out.line(`Permission '${created.name}'${scope} created.`);
          out.result({ permission: created.name, app: created.app, created: true });
          return EXIT.OK;
        }),
      ),
    );

  permission
    .command("delete <name>")
    .description("Delete a permission and every grant of it")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action((name: string, options: { json?: boolean }) =>
        withRbac(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          await opened.rbac.deletePermission(name);
          out.line(`Permission '${name}' deleted.`);
          out.result({ permission: name, deleted: true });
          warnIfCacheMissed(opened, out.warn);
          return EXIT.OK;
        }),
      ),
    );

  permission
    .command("list")
    .description("List permissions with their app and the roles that grant them")
    .option("--app <app>", "only this app's permissions")
    .option("--json", "print the permissions as JSON")
    .action(
      ctx.action((options: { app?: string; json?: boolean }) =>
        withRbac(ctx, async ({ rbac }) => {
          const out = ctx.output(options.json === true);
          const permissions = await rbac.listPermissions(options.app);
          out.result(
            permissions.map(({ name, app, description, roles }) => ({ name, app, description, roles })),
          );
          if (permissions.length === 0)
            out.line("No permissions yet. Run `marg db:seed`, or `marg rbac:permission create NAME`.");
          const width = Math.max(...permissions.map((p) => p.name.length), 4);
          for (const p of permissions) {
            out.line(
              `${p.name.padEnd(width)}  ${(p.app ?? "(all)").padEnd(6)}  ${p.roles.join(", ") || "(no role)"}`,
            );
          }
          return EXIT.OK;
        }),
      ),
    );
}
