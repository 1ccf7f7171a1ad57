import pc from "picocolors";

/**
 * How a command talks to people and to scripts: colour only on a terminal
 * (picocolors honours NO_COLOR and FORCE_COLOR), plain lines when piped, and
 * one JSON document on stdout with --json. Progress and notes go to stderr so
 * that stdout stays clean for pipes.
 */
export interface Output {
  readonly json: boolean;
  readonly colors: typeof pc;
  /** A line of the command's result (stdout). Ignored in --json mode. */
  line(text: string): void;
  /** A note or progress (stderr). Ignored in --json mode. */
  note(text: string): void;
  /** A warning (stderr), shown in every mode. */
  warn(text: string): void;
  /** An error (stderr), shown in every mode. */
  error(text: string): void;
  /** The command's result as JSON (stdout), only in --json mode. */
  result(value: unknown): void;
}

export function createOutput(options: {
  json: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  return {
    json: options.json,
    colors: pc,
    line(text) {
      if (!options.json) stdout.write(`${text}\n`);
    },
    note(text) {
      if (!options.json) stderr.write(`${pc.dim(text)}\n`);
    },
    warn(text) {
      stderr.write(`${pc.yellow("warning:")} ${text}\n`);
    },
    error(text) {
      stderr.write(`${pc.red("error:")} ${text}\n`);
    },
    result(value) {
      if (options.json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}
