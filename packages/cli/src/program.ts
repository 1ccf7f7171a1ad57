import { Command, CommanderError } from "commander";
import type { CliContext } from "./cli-context.js";
import { registerBackupCommands } from "./commands/backup-commands.js";
import { registerCapacity } from "./commands/capacity.js";
import { registerConfigDoc } from "./commands/config-doc.js";
import { registerDbSeed } from "./commands/db-seed.js";
import { registerDeploy } from "./commands/deploy.js";
import { registerDeployRolling } from "./commands/deploy-rolling.js";
import { registerDev } from "./commands/dev.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerDown } from "./commands/down.js";
import { registerErrorsDoc } from "./commands/errors-doc-command.js";
import { registerInfraRender } from "./commands/infra-render.js";
import { registerKeyGenerate } from "./commands/key-generate.js";
import { registerMigrate } from "./commands/migrate.js";
import { registerMigrateRollback } from "./commands/migrate-rollback.js";
import { registerMigrateStatus } from "./commands/migrate-status.js";
import { registerOidcClient } from "./commands/oidc-client-commands.js";
import { registerOidcKeys } from "./commands/oidc-keys.js";
import { registerQueueFailed } from "./commands/queue-failed.js";
import { registerQueueFlush } from "./commands/queue-flush.js";
import { registerQueueForget } from "./commands/queue-forget.js";
import { registerQueueRetry } from "./commands/queue-retry.js";
import { registerQueueStatus } from "./commands/queue-status.js";
import { registerRbacAssign, registerRbacUnassign } from "./commands/rbac-assign.js";
import { registerRbacCheck } from "./commands/rbac-check.js";
import { registerRbacGrant, registerRbacRevoke } from "./commands/rbac-grant.js";
import { registerRbacPermission } from "./commands/rbac-permission.js";
import { registerRbacRole } from "./commands/rbac-role.js";
import { registerRbacWarm } from "./commands/rbac-warm.js";
import { registerServe } from "./commands/serve.js";
import { registerTokenCreate, registerTokenList, registerTokenRevoke } from "./commands/token-commands.js";
import { registerUp } from "./commands/up.js";
import { registerUserCreate } from "./commands/user-create.js";
import { registerUserDisable, registerUserEnable } from "./commands/user-disable.js";
import { registerUserList } from "./commands/user-list.js";
import { registerUserResetTwoFactor } from "./commands/user-reset-2fa.js";
import { registerWork } from "./commands/work.js";
import { EXIT_CODES_HELP } from "./exit-codes.js";

/**
 * Builds the `marg` program with every command registered. Each command lives in
 * its own file under commands/ and exports one `register…(program, ctx)`.
 *
 * Registering is cheap on purpose: a command file imports only commander, types and
 * light constants at the top, and its action loads what it runs on (the platform,
 * @marg/deploy, an app, or its own `…-action.ts`) with `await import()`. So `marg --help`
 * and `marg <command> --help` never load Fastify, Kysely, the drivers or the apps;
 * startup-imports.test.ts fails if one of them comes back.
 */
export function buildProgram(ctx: CliContext): Command {
  const program = new Command("marg")
    .description("Run and operate the MARG ecosystem: apps, workers, databases, RBAC, queues and the fleet.")
    .version("0.1.0")
    .showHelpAfterError("(run with --help for usage)")
    .addHelpText("after", `\n${EXIT_CODES_HELP}`)
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
  registerRbacRole(program, ctx);
  registerRbacPermission(program, ctx);
  registerRbacGrant(program, ctx);
  registerRbacRevoke(program, ctx);
  registerRbacAssign(program, ctx);
  registerRbacUnassign(program, ctx);
  registerRbacCheck(program, ctx);
  registerRbacWarm(program, ctx);
  registerTokenCreate(program, ctx);
  registerTokenList(program, ctx);
  registerTokenRevoke(program, ctx);
  registerOidcClient(program, ctx);
  registerUserCreate(program, ctx);
  registerUserList(program, ctx);
  registerUserDisable(program, ctx);
  registerUserEnable(program, ctx);
  registerUserResetTwoFactor(program, ctx);
  registerWork(program, ctx);
  registerOidcKeys(program, ctx);
  registerQueueStatus(program, ctx);
  registerQueueFailed(program, ctx);
  registerQueueRetry(program, ctx);
  registerQueueForget(program, ctx);
  registerQueueFlush(program, ctx);
  registerInfraRender(program, ctx);
  registerDown(program, ctx);
  registerUp(program, ctx);
  registerDoctor(program, ctx);
  registerDeploy(program, ctx);
  registerDeployRolling(program, ctx);
  registerBackupCommands(program, ctx);
  registerCapacity(program, ctx);
  return program;
}

export { type Command, CommanderError };
