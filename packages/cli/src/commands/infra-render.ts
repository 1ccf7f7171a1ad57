import path from "node:path";
import { isMargError } from "@marg/core/errors";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

/** Errors that mean "fix your input": printed as they are, exit 2, nothing written. */
const USAGE_ERRORS = new Set([
  "E_INVENTORY_INVALID",
  "E_INVENTORY_UNREADABLE",
  "E_RENDER_TARGET_NOT_EMPTY",
  "E_SECRETS_FILE_INVALID",
]);

interface InfraRenderOptions {
  inventory: string;
  out: string;
  secrets?: string;
  force?: boolean;
  json?: boolean;
}

const HELP_AFTER = `
Writes <out>/<server>/… mirroring each server's paths (etc/nginx, etc/redis, etc/mysql,
etc/supervisor or etc/systemd, srv/marg/.env.shared, usr/local/sbin/marg-ufw…), an
install.sh per server, README.txt (what goes where) and secrets.env (mode 600).
Rendering again with --force keeps the secrets in <out>/secrets.env.

Examples:
  marg infra:render --inventory deploy/inventory.example.yml --out ./fleet
  marg infra:render --inventory deploy/inventories/phase3-horizontal.yml --out ./fleet --force

Exit codes: 0 rendered, 2 invalid inventory or options (nothing written), 1 anything else.`;

/** `marg infra:render`: every server config of a fleet, from one inventory (docs/deploy.md). */
export function registerInfraRender(program: Command, ctx: CliContext): void {
  program
    .command("infra:render")
    .description(
      "Render every server config of a fleet (nginx, HAProxy, Redis, Sentinel, MySQL, supervisor/systemd, ufw, certbot, backups, .env.shared) from one inventory",
    )
    .requiredOption(
      "--inventory <file>",
      "the fleet inventory, YAML or JSON (see deploy/inventory.example.yml)",
    )
    .requiredOption("--out <dir>", "the folder to write, one sub-folder per server")
    .option("--secrets <file>", "keep the secrets in this file (default: <out>/secrets.env when it exists)")
    .option("--force", "replace an earlier render in --out (its secrets are kept)")
    .option("--json", "print the result as JSON")
    .addHelpText("after", HELP_AFTER)
    .action(
      ctx.action(async (options: InfraRenderOptions) => {
        const out = ctx.output(options.json === true);
        const { renderInventory } = await import("@marg/deploy");
        const outDir = path.resolve(ctx.root, options.out);
        try {
          const result = renderInventory({
            inventoryFile: path.resolve(ctx.root, options.inventory),
            out: outDir,
            ...(options.secrets === undefined
              ? {}
              : { secretsFile: path.resolve(ctx.root, options.secrets) }),
            ...(options.force === undefined ? {} : { force: options.force }),
            onFile: (file) => out.note(`wrote ${file.path} (${file.mode.toString(8)})`),
          });
          const { inventory } = result.fleet;
          for (const warning of result.warnings) out.warn(warning);
          out.line(
            `Rendered ${result.files.length} files for the ${result.fleet.servers.length} servers of "${inventory.name}" (phase ${inventory.phase}) into ${options.out}.`,
          );
          out.line(
            result.generatedSecrets.length === 0
              ? `Kept every secret from ${result.secretsFrom ?? "secrets.env"}.`
              : `Generated ${result.generatedSecrets.length} secret(s) (${result.generatedSecrets.join(", ")}); they are in ${path.join(options.out, "secrets.env")} (mode 600).`,
          );
          out.line(
            `Next: read ${path.join(options.out, "README.txt")}, then run each server's install.sh there.`,
          );
          out.result({
            fleet: inventory.name,
            phase: inventory.phase,
            out: outDir,
            servers: result.fleet.servers.map((server) => ({
              name: server.name,
              address: server.address,
              roles: server.roles,
            })),
            files: result.files.map((file) => ({ path: file.path, mode: file.mode.toString(8) })),
            warnings: result.warnings,
            generatedSecrets: result.generatedSecrets,
            keptSecretsFrom: result.secretsFrom ?? null,
          });
          return EXIT.OK;
        } catch (error) {
          if (isMargError(error) && USAGE_ERRORS.has(error.code)) {
            out.error(error.message);
            out.result({
              error: { code: error.code, message: error.message, details: error.details ?? null },
            });
            return EXIT.USAGE;
          }
          throw error;
        }
      }),
    );
}
