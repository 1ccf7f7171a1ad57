import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { parseRoleList, withUsers } from "./user-context.js";

interface CreateOptions {
  name?: string;
  role?: string[];
  passwordStdin?: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[] = []) => [...previous, value];

/**
 * `marg user:create EMAIL [--name …] [--role …] [--password-stdin]`: the first admin of
 * a production install (no demo seeder), or any account the operator makes by hand.
 */
export function registerUserCreate(program: Command, ctx: CliContext): void {
  program
    .command("user:create <email>")
    .description("Create a user; the password is typed (twice, hidden), read from stdin, or generated")
    .option("--name <name>", "the person's name (default: the part of the address before @)")
    .option("--role <role>", "a role to give (repeatable, or a comma list); each must exist", collect)
    .option("--password-stdin", 'read the password from stdin (for scripts: printf %s "$PW" | marg …)')
    .option("--json", "print the result as JSON")
    .addHelpText(
      "after",
      [
        "",
        "Without --password-stdin, a terminal is asked for the password twice; anywhere else",
        "(a script, CI) a strong password is generated and printed once.",
        "",
        "Examples:",
        "  marg user:create ann@example.com --role super-admin",
        "  marg user:create bob@example.com --name 'Bob Stone' --role admin,editor",
        '  printf %s "$PASSWORD" | marg user:create ops@example.com --password-stdin --json',
      ].join("\n"),
    )
    .action(
      ctx.action((email: string, options: CreateOptions) =>
        withUsers(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const roles = parseRoleList(options.role);
          const known = await opened.roleNames();
          const unknown = roles.filter((role) => !known.includes(role));
          if (unknown.length > 0) {
            const { MargError } = await import("@marg/core/errors");
            throw new MargError(
              "E_RBAC_UNKNOWN_ROLE",
              `No role named ${unknown.map((r) => `'${r}'`).join(", ")}; roles: ${known.join(", ") || "(none: run `marg db:seed` or `marg rbac:role create`)"}.`,
              { status: 404 },
            );
          }
          if ((await opened.users.findByEmail(email)) !== null) {
            const { MargError } = await import("@marg/core/errors");
            throw new MargError(
              "E_AUTH_EMAIL_TAKEN",
              `${email} already has an account; see \`marg user:list\`.`,
              {
                status: 409,
              },
            );
          }
          const { generatePassword, passwordSource, promptPassword, readPasswordFromStdin } = await import(
            "./user-password.js"
          );
          const source = passwordSource(options, process.stdin.isTTY === true);
          const password =
            source === "stdin"
              ? await readPasswordFromStdin()
              : source === "prompt"
                ? await promptPassword()
                : generatePassword();
          const name = options.name ?? email.split("@")[0] ?? email;
          const user = await opened.users.create({ name, email, password });
          for (const role of roles) await opened.rbac.assign(user.id, role);
          await opened.events.record({
            type: "user.created",
            userId: user.id,
            actorId: null,
            detail: { via: "cli", roles: roles.join(",") },
          });
          out.line(
            `User ${user.email} created (id ${user.id})${roles.length > 0 ? ` with ${roles.join(", ")}` : ""}.`,
          );
          if (source === "generated") out.line(`Password (shown once, store it now): ${password}`);
          out.result({
            id: user.id,
            email: user.email,
            name: user.name,
            roles,
            ...(source === "generated" ? { password } : {}),
          });
          return EXIT.OK;
        }),
      ),
    );
}
