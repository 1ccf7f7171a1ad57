import { createInterface } from "node:readline/promises";
import { isMargError, MargError } from "@marg/core/errors";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import type { OidcClientCommandContext } from "./oidc-client-open.js";

interface CreateOptions {
  name: string;
  redirectUri?: string[];
  postLogoutRedirectUri?: string[];
  backchannelLogoutUri?: string;
  public?: boolean;
  firstParty?: boolean;
  appScope?: string;
  json?: boolean;
}

/** Input codes: the command line was wrong and nothing was stored (exit 2). */
const INPUT_CODES = new Set([
  "E_OIDC_CLIENT_ID_INVALID",
  "E_OIDC_CLIENT_NAME_INVALID",
  "E_OIDC_CLIENT_TYPE_INVALID",
  "E_OIDC_CLIENT_URI_INVALID",
  "E_OIDC_CLIENT_APP_SCOPE_INVALID",
]);

const repeat = (value: string, previous: string[] | undefined) => [...(previous ?? []), value];

/** Runs a command body with the platform open, always closing it; bad client input is bad usage. */
async function withOidcClients(
  ctx: CliContext,
  body: (opened: OidcClientCommandContext) => Promise<number>,
): Promise<number> {
  const { openOidcClientCommandContext } = await import("./oidc-client-open.js");
  const opened = await openOidcClientCommandContext(ctx);
  try {
    return await body(opened);
  } catch (error) {
    if (isMargError(error) && INPUT_CODES.has(error.code)) {
      throw new MargError("E_CLI_USAGE", error.message, { status: 400, cause: error });
    }
    throw error;
  } finally {
    await opened.close();
  }
}

/** Yes only when a person at a terminal types y; a pipe or CI never confirms. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await prompt.question(`${question} [y/N] `)).trim().toLowerCase() === "y";
  } finally {
    prompt.close();
  }
}

const STORE_IT_NOW = "Store it now: it is shown only once and MARG keeps only its hash.";

/** `marg oidc:client create|list|rotate-secret|delete`: the sign-in clients of MARG's id app. */
export function registerOidcClient(program: Command, ctx: CliContext): void {
  const client = program
    .command("oidc:client")
    .description("Create, list, rotate the secret of and delete OpenID Connect sign-in clients")
    .addHelpText(
      "after",
      "\nExamples:\n" +
        "  marg oidc:client create grafana --name Grafana --redirect-uri https://grafana.example.com/login/generic_oauth\n" +
        "  marg oidc:client list --json\n" +
        "  marg oidc:client rotate-secret grafana\n" +
        "  marg oidc:client delete grafana --yes",
    );

  client
    .command("create <client-id>")
    .description("Register a client (a slug such as grafana); a confidential client's secret is printed once")
    .requiredOption("--name <name>", "shown to people when they sign in")
    .option(
      "--redirect-uri <uri>",
      "where people return after signing in (repeatable; matched exactly)",
      repeat,
    )
    .option(
      "--post-logout-redirect-uri <uri>",
      "where people may land after signing out (repeatable)",
      repeat,
    )
    .option("--backchannel-logout-uri <uri>", "where MARG posts a logout token when a session ends")
    .option("--public", "a public client (SPA, native app): no secret, PKCE required")
    .option("--first-party", "one of your own apps: people are not asked for consent")
    .option("--app-scope <app>", "the app whose roles and permissions the client may see (e.g. flow)")
    .option("--json", "print the client and its secret as JSON")
    .addHelpText(
      "after",
      "\nRedirect URIs must be absolute, without #fragment; with APP_ENV=production they must be https\n" +
        "(http://localhost and http://127.0.0.1 excepted, for native apps).\n" +
        "Examples:\n" +
        "  marg oidc:client create grafana --name Grafana --first-party --app-scope flow \\\n" +
        "    --redirect-uri https://grafana.example.com/login/generic_oauth\n" +
        "  marg oidc:client create cli-tool --name 'CLI tool' --public --redirect-uri http://127.0.0.1:8765/callback",
    )
    .action(
      ctx.action((clientId: string, options: CreateOptions) =>
        withOidcClients(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const { client: created, secret } = await opened.clients.create({
            clientId,
            name: options.name,
            type: options.public === true ? "public" : "confidential",
            redirectUris: options.redirectUri ?? [],
            postLogoutRedirectUris: options.postLogoutRedirectUri ?? [],
            backchannelLogoutUri: options.backchannelLogoutUri ?? null,
            firstParty: options.firstParty === true,
            appScope: options.appScope ?? null,
          });
          await opened.audit("oidc.client.create", created);
          out.note(
            `Client '${created.clientId}' (${created.name}) created: ${created.type}` +
              `${created.firstParty ? ", first-party" : ""}; redirect URIs ${created.redirectUris.join(", ")}.`,
          );
          if (secret === null) {
            out.line(`Client '${created.clientId}' is public: it has no secret and must use PKCE.`);
          } else {
            out.line(secret);
            out.note(`That is the client secret of '${created.clientId}'. ${STORE_IT_NOW}`);
          }
          out.result({ client: created, secret });
          return EXIT.OK;
        }),
      ),
    );

  client
    .command("list")
    .description("List the clients with their redirect URIs (never their secrets)")
    .option("--json", "print the clients as JSON")
    .addHelpText("after", "\nExample:\n  marg oidc:client list")
    .action(
      ctx.action((options: { json?: boolean }) =>
        withOidcClients(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const clients = await opened.clients.list();
          if (clients.length === 0)
            out.line("No sign-in clients yet: `marg oidc:client create CLIENT-ID …`.");
          for (const c of clients) {
            out.line(
              `${c.clientId}\t${c.name}\t${c.type}${c.firstParty ? ",first-party" : ""}\t` +
                `app ${c.appScope ?? "-"}\t${c.redirectUris.join(" ")}`,
            );
          }
          out.result(clients);
          return EXIT.OK;
        }),
      ),
    );

  client
    .command("rotate-secret <client-id>")
    .description("Give a confidential client a new secret, printed once; the old one stops working at once")
    .option("--json", "print the new secret as JSON")
    .addHelpText("after", "\nExample:\n  marg oidc:client rotate-secret grafana")
    .action(
      ctx.action((clientId: string, options: { json?: boolean }) =>
        withOidcClients(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const secret = await opened.clients.rotateSecret(clientId);
          const rotated = await opened.clients.find(clientId);
          if (rotated !== null) await opened.audit("oidc.client.rotate-secret", rotated);
          out.line(secret);
          out.note(
            `That is the new client secret of '${clientId}'; the old one no longer works. ${STORE_IT_NOW}`,
          );
          out.result({ clientId, secret });
          return EXIT.OK;
        }),
      ),
    );

  client
    .command("delete <client-id>")
    .description("Delete a client: it can no longer sign anyone in. Asks first (--yes skips)")
    .option("--yes", "do not ask for confirmation (scripts)")
    .option("--json", "print the result as JSON")
    .addHelpText("after", "\nExample:\n  marg oidc:client delete grafana --yes")
    .action(
      ctx.action((clientId: string, options: { yes?: boolean; json?: boolean }) =>
        withOidcClients(ctx, async (opened) => {
          const out = ctx.output(options.json === true);
          const found = await opened.clients.find(clientId);
          if (found === null) {
            out.error(
              `No sign-in client is registered as '${clientId}': \`marg oidc:client list\` shows them.`,
            );
            return EXIT.FAILURE;
          }
          if (
            options.yes !== true &&
            !(await confirm(`Delete sign-in client '${clientId}' (${found.name})?`))
          ) {
            out.error("Not deleted: confirm at the prompt, or pass --yes in scripts.");
            return EXIT.USAGE;
          }
          const deleted = await opened.clients.delete(clientId);
          if (deleted) await opened.audit("oidc.client.delete", found);
          out.line(
            deleted ? `Client '${clientId}' deleted.` : `Nothing to do: '${clientId}' was already gone.`,
          );
          out.result({ clientId, deleted });
          return EXIT.OK;
        }),
      ),
    );
}
