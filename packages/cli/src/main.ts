import { createCliContext } from "./cli-context.js";
import { EXIT } from "./exit-codes.js";
import { createOutput } from "./output.js";
import { buildProgram, CommanderError } from "./program.js";

/** Runs `marg` with these arguments and resolves to the exit code. */
export async function main(
  argv: readonly string[],
  options: { root?: string; env?: Record<string, string | undefined> } = {},
): Promise<number> {
  const env = options.env ?? process.env;
  const ctx = createCliContext({
    root: options.root ?? env.MARG_ROOT ?? process.cwd(),
    env,
    output: (json) => createOutput({ json }),
  });
  const program = buildProgram(ctx);
  try {
    await program.parseAsync([...argv]);
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; bad usage with 2.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    throw error;
  }
  return ctx.exitCode;
}
