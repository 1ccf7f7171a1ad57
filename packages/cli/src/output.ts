import picocolors from "picocolors";

type Colors = ReturnType<typeof picocolors.createColors>;

/**
 * Colour when the stream is a terminal, unless NO_COLOR; always with FORCE_COLOR.
 * (picocolors' own default also colours whenever CI is set, which fills CI logs and
 * pipes with escape codes.)
 */
export function colorsFor(stream: NodeJS.WritableStream, env: NodeJS.ProcessEnv = process.env): Colors {
  const tty = "isTTY" in stream && stream.isTTY === true;
  const enabled =
    env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0" ? true : tty && env.NO_COLOR === undefined;
  return picocolors.createColors(enabled);
}

/**
 * How a command talks to people and to scripts: colour only on a terminal
 * (NO_COLOR turns it off, FORCE_COLOR on), plain lines when piped or in CI logs, and
 * one JSON document on stdout with --json. Progress and notes go to stderr so
 * that stdout stays clean for pipes.
 */
export interface Output {
  readonly json: boolean;
  readonly colors: Colors;
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
  const pc = colorsFor(stdout);
  const pcErr = colorsFor(stderr);
  return {
    json: options.json,
    colors: pc,
    line(text) {
      if (!options.json) stdout.write(`${text}\n`);
    },
    note(text) {
      if (!options.json) stderr.write(`${pcErr.dim(text)}\n`);
    },
    warn(text) {
      stderr.write(`${pcErr.yellow("warning:")} ${text}\n`);
    },
    error(text) {
      stderr.write(`${pcErr.red("error:")} ${text}\n`);
    },
    result(value) {
      if (options.json) stdout.write(`${JSON.stringify(value, null, 2)}\n`);
    },
  };
}
