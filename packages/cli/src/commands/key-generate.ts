import { chmodSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

/** Sets APP_KEY in an env file, keeping every other line, and makes the file owner-only (600). */
export function writeKeyToEnvFile(file: string, key: string): { replaced: boolean } {
  const existing = existsSync(file) ? readFileSync(file, "utf8") : "";
  const line = `APP_KEY=${key}`;
  const replaced = /^APP_KEY=.*$/m.test(existing);
  const next = replaced
    ? existing.replace(/^APP_KEY=.*$/m, line)
    : `${existing}${existing === "" || existing.endsWith("\n") ? "" : "\n"}${line}\n`;
  writeFileSync(file, next, { mode: 0o600 });
  // `mode` applies only when the file is created; an existing one (copied from .env.example) is tightened too.
  chmodSync(file, 0o600);
  return { replaced };
}

export function registerKeyGenerate(program: Command, ctx: CliContext): void {
  program
    .command("key:generate")
    .description("Write a fresh APP_KEY (base64: + 32 random bytes) to .env.shared, or print it with --show")
    .option("--show", "print the key instead of writing it")
    .option("--file <path>", "the env file to write", ".env.shared")
    .option("--force", "replace an existing key (signs everyone out and makes encrypted sessions unreadable)")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (options: { show?: boolean; file: string; force?: boolean; json?: boolean }) => {
        const out = ctx.output(options.json === true);
        const { generateAppKey } = await import("@marg/core/config");
        const key = generateAppKey();
        if (options.show) {
          out.line(key);
          out.result({ key });
          return EXIT.OK;
        }
        const file = path.resolve(ctx.root, options.file);
        const hasKey = existsSync(file) && /^APP_KEY=\S+/m.test(readFileSync(file, "utf8"));
        if (hasKey && !options.force) {
          out.error(
            `${options.file} already has an APP_KEY. Replacing it signs every user out; ` +
              "run again with --force to do it, or move the old key to APP_PREVIOUS_KEYS first to keep sessions readable.",
          );
          return EXIT.FAILURE;
        }
        writeKeyToEnvFile(file, key);
        out.line(`APP_KEY written to ${options.file} (mode 600).`);
        out.result({ file, written: true });
        return EXIT.OK;
      }),
    );
}
