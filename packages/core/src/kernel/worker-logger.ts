import type { QueueLogger } from "../queue/index.js";

const LEVELS = { trace: 10, debug: 20, info: 30, warn: 40, error: 50, fatal: 60, silent: 100 } as const;
type LevelName = keyof typeof LEVELS;

export interface WorkerLoggerOptions {
  /** `--json-logs`: one JSON object per line (pino's shape) for log shippers; else readable lines. */
  readonly json: boolean;
  /** LOG_LEVEL. */
  readonly level: string;
  readonly stream?: NodeJS.WritableStream;
}

function plain(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(([key, value]) => `${key}=${typeof value === "string" ? value : JSON.stringify(value)}`)
    .join(" ");
}

/**
 * The worker's log lines on stdout (supervisor's stdout_logfile), in pino's shape
 * (numeric level, time, pid, msg) with `--json-logs`, else one readable line each.
 */
export function createWorkerLogger(options: WorkerLoggerOptions): QueueLogger {
  const stream = options.stream ?? process.stdout;
  const threshold = LEVELS[options.level as LevelName] ?? LEVELS.info;
  const write = (level: Exclude<LevelName, "silent">) => (data: Record<string, unknown>, message: string) => {
    if (LEVELS[level] < threshold) return;
    if (options.json) {
      stream.write(
        `${JSON.stringify({ level: LEVELS[level], time: Date.now(), pid: process.pid, msg: message, ...data })}\n`,
      );
    } else {
      const fields = plain(data);
      stream.write(
        `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${message}${fields ? ` ${fields}` : ""}\n`,
      );
    }
  };
  return { debug: write("debug"), info: write("info"), warn: write("warn"), error: write("error") };
}
