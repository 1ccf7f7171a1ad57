// Command-line options of the bench scripts: `--name value` pairs, validated, with
// a clear message and exit code 2 for a bad one (never a silent fallback).

export class BenchUsageError extends Error {
  readonly code = "E_BENCH_USAGE";
}

/** A positive integer option, or `fallback` when absent. Throws BenchUsageError for anything else. */
export function intOption(argv: readonly string[], name: string, fallback: number): number {
  const index = argv.indexOf(`--${name}`);
  if (index === -1) return fallback;
  const raw = argv[index + 1];
  const value = Number(raw);
  if (raw === undefined || !Number.isInteger(value) || value <= 0)
    throw new BenchUsageError(`--${name} takes a positive whole number (got ${raw ?? "nothing"})`);
  return value;
}

/** A string option, or undefined when absent. */
export function stringOption(argv: readonly string[], name: string): string | undefined {
  const index = argv.indexOf(`--${name}`);
  if (index === -1) return undefined;
  const raw = argv[index + 1];
  if (raw === undefined || raw.startsWith("--")) throw new BenchUsageError(`--${name} takes a value`);
  return raw;
}

export const flag = (argv: readonly string[], name: string): boolean => argv.includes(`--${name}`);

/** Runs a bench's main, turning a usage error into its message and exit code 2. */
export async function runBench(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    if (error instanceof BenchUsageError) {
      console.error(`usage: ${error.message}`);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}
