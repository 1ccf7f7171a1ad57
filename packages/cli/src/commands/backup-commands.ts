import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { registerBackupList } from "./backup-list.js";
import { registerBackupMysql } from "./backup-mysql.js";
import { registerBackupRedis } from "./backup-redis.js";
import { registerBackupRestore } from "./backup-restore.js";
import { registerBackupVerify } from "./backup-verify.js";

/** Every `backup:*` command: one line in program.ts. */
export function registerBackupCommands(program: Command, ctx: CliContext): void {
  registerBackupMysql(program, ctx);
  registerBackupRedis(program, ctx);
  registerBackupList(program, ctx);
  registerBackupVerify(program, ctx);
  registerBackupRestore(program, ctx);
}
