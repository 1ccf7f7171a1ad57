import { Command, CommanderError } from "commander";
import type { CliContext } from "./cli-context.js";
import { registerConfigDoc } from "./commands/config-doc.js";
import { registerDbSeed } from "./commands/db-seed.js";
import { registerDev } from "./commands/dev.js";
import { registerErrorsDoc } from "./commands/errors-doc.js";
import { registerKeyGenerate } from "./commands/key-generate.js";
import { registerMigrate } from "./commands/migrate.js";
import { registerMigrateRollback } from "./commands/migrate-rollback.js";
import { registerMigrateStatus } from "./commands/migrate-status.js";
import { registerServe } from "./commands/serve.js";

/**
 * Builds the `marg` program with every command registered. Each command lives in
 * its own file under commands/ and exports one `register…(program, ctx)`.
 */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command("marg")
    .description("Run and operate the MARG ecosystem: apps, workers, databases, RBAC, queues and the fleet.")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .exitOverride();
  registerDev(program, ctx);
  registerServe(program, ctx);
  registerKeyGenerate(program, ctx);
  registerErrorsDoc(program, ctx);
  registerConfigDoc(program, ctx);
  registerMigrate(program, ctx);
  registerMigrateStatus(program, ctx);
  registerMigrateRollback(program, ctx);
  registerDbSeed(program, ctx);
  return program;
}

export { CommanderError };
