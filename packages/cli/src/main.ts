import { createCliContext } from "./cli-context.js";
import { EXIT } from "./exit-codes.js";
import { createOutput } from "./output.js";
import { buildProgram, type Command, CommanderError } from "./program.js";

/**
 * `marg no-such-command --help` would print the general help and exit 0, so a typo in a
 * script passes as success. Without the help flag commander reports the unknown command
 * (with its "did you mean") and main() exits 2, as it does for `marg no-such-command`.
 */
function withoutHelpForUnknownCommand(program: Command, argv: readonly string[]): string[] {
  const args = argv.slice(2);
  const operand = args.find((arg) => !arg.startsWith("-"));
  const known = (name: string) =>
    name === "help" ||
    program.commands.some((command) => command.name() === name || command.aliases().includes(name));
  if (operand === undefined || known(operand)) return [...argv];
  return [...argv.slice(0, 2), ...args.filter((arg) => arg !== "--help" && arg !== "-h")];
}

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
    await program.parseAsync(withoutHelpForUnknownCommand(program, argv));
  } catch (error) {
    if (error instanceof CommanderError) {
      // --help and --version end here with exit code 0; bad usage with 2.
      return error.exitCode === 0 ? EXIT.OK : EXIT.USAGE;
    }
    throw error;
  }
  return ctx.exitCode;
}
