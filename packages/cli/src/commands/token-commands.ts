import { isMargError, MargError } from "@marg/core/errors";
import type { RbacService } from "@marg/core/rbac";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { withRbac } from "./rbac-context.js";
import { formatTime, parseList } from "./token-options.js";

interface CreateOptions {
  name: string;
  permissions?: string;
  apps?: string;
  expires?: string;
  json?: boolean;
}

/** `marg token:create`: a personal API token for /api/v1, printed once. */
export function registerTokenCreate(program: Command, ctx: CliContext): void {
  program
    .command("token:create <user>")
    .description("Create a personal API token for a user (by email or id); the token is printed once")
    .requiredOption("--name <name>", "what the token is for (shown on the account page)")
    .option(
      "--permissions <list>",
      "comma-separated permissions or patterns it may use (default: every permission the user holds)",
    )
    .option("--apps <list>", "comma-separated apps it works on (default: every app)")
    .option("--expires <when>", "30d (days from now) or 2027-01-31 (works through that day, UTC)")
    .option("--json", "print the token and its record as JSON")
    .addHelpText(
      "after",
      "\nThe token can do what both the user and its permissions allow, on /api/v1 only:\n" +
        "  curl -H 'Authorization: Bearer marg_pat_…' https://flow.example.com/api/v1/me\n" +
        "Examples:\n" +
        "  marg token:create ann@example.com --name ci --permissions tasks.view,tasks.create --apps flow --expires 30d\n" +
        "  marg token:create 7 --name backup --permissions 'links.*' --expires 2027-01-31 --json",
    )
    .action(
      ctx.action((user: string, options: CreateOptions) =>
        withRbac(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const { parseApiTokenExpiry } = await import("@marg/core/auth");
          const expiresAt = parseApiTokenExpiry(options.expires);
          const apps = parseList(options.apps);
          const userId = await opened.rbac.resolveUser(user);
          const permissions = parseList(options.permissions) ?? (await heldPatterns(opened.rbac, userId));
          const { token, record } = await opened.tokens.create(userId, {
            name: options.name,
            permissions,
            ...(apps === undefined ? {} : { apps }),
            ...(expiresAt === undefined ? {} : { expiresAt }),
          });
          // actorId null: the operator's CLI made it, not the holder (the account page records the holder).
          await opened.events.record({
            type: "token.created",
            userId,
            actorId: null,
            detail: {
              via: "cli",
              tokenId: record.id,
              name: record.name,
              permissions: record.permissions.join(","),
            },
          });
          out.note(
            `Token ${record.id} '${record.name}' for ${user}: ${record.permissions.join(", ")}; ` +
              `apps ${record.apps?.join(", ") ?? "all"}; expires ${formatTime(record.expiresAt)}.`,
          );
          out.line(token);
          out.note(`Copy it now: it is shown only once. Revoke it with \`marg token:revoke ${record.id}\`.`);
          out.result({ token, ...record });
          return EXIT.OK;
        }).catch(asUsageWhenInputInvalid),
      ),
    );
}

/** `marg token:list <user>`: the user's tokens, newest first, never their values. */
export function registerTokenList(program: Command, ctx: CliContext): void {
  program
    .command("token:list <user>")
    .description("List a user's API tokens with their limits and last use (never the tokens themselves)")
    .option("--json", "print the tokens as JSON")
    .addHelpText("after", "\nExample:\n  marg token:list ann@example.com")
    .action(
      ctx.action((user: string, options: { json?: boolean }) =>
        withRbac(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const tokens = await opened.tokens.list(await opened.rbac.resolveUser(user));
          if (tokens.length === 0) out.line(`${user} has no API tokens.`);
          for (const token of tokens) {
            const state = token.revokedAt === null ? "live" : `revoked ${formatTime(token.revokedAt)}`;
            out.line(
              `${token.id}\t${token.name}\t${token.permissions.join(",")}\tapps ${token.apps?.join(",") ?? "all"}\t` +
                `expires ${formatTime(token.expiresAt)}\tlast used ${formatTime(token.lastUsedAt)}\t${state}`,
            );
          }
          out.result(tokens);
          return EXIT.OK;
        }),
      ),
    );
}

/** `marg token:revoke <id>`: the token stops working on every server at once. */
export function registerTokenRevoke(program: Command, ctx: CliContext): void {
  program
    .command("token:revoke <id>")
    .description("Revoke an API token by its id (from token:list); it stops working at once")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExample:\n  marg token:revoke 12")
    .action(
      ctx.action((id: string, options: { json?: boolean }) => {
        const tokenId = Number(id);
        if (!/^\d{1,15}$/.test(id) || tokenId <= 0) {
          ctx.output(false).error(`'${id}' is not a token id: give the number token:list shows.`);
          return EXIT.USAGE;
        }
        return withRbac(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const found = await opened.tokens.find(tokenId);
          if (found === undefined) {
            out.error(`No API token has id ${tokenId}: \`marg token:list <user>\` shows a user's tokens.`);
            return EXIT.FAILURE;
          }
          const changed = await opened.tokens.revoke(tokenId);
          if (changed) {
            await opened.events.record({
              type: "token.revoked",
              userId: found.userId,
              actorId: null,
              detail: { via: "cli", tokenId },
            });
          }
          out.line(
            changed
              ? `Token ${tokenId} '${found.name}' revoked.`
              : `Nothing to do: token ${tokenId} was already revoked.`,
          );
          out.result({ id: tokenId, revoked: true, changed });
          return EXIT.OK;
        });
      }),
    );
}

/** Without --permissions: every permission the user holds, in any app. */
async function heldPatterns(rbac: RbacService, userId: number): Promise<string[]> {
  const held = await rbac.permissionsFor(userId);
  if (held.superAdmin) return ["*"];
  return [...new Set(held.source.grants.map((grant) => grant.permission))];
}

/** A malformed --name, --permissions or --apps is bad usage (exit 2), like any bad argument. */
function asUsageWhenInputInvalid(error: unknown): never {
  if (isMargError(error) && error.code === "E_AUTH_TOKEN_INPUT_INVALID") {
    throw new MargError("E_CLI_USAGE", error.message, { status: 400, cause: error });
  }
  throw error;
}
