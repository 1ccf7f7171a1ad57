import { createRequire } from "node:module";
import { type DestinationStream, type Logger, pino } from "pino";
import type PinoPretty from "pino-pretty";
import type { MargConfig } from "../config/index.js";
import { createLineRedactor } from "./redaction.js";

export type { Logger } from "pino";

export interface CreateLoggerOptions {
  /** Where lines go; default stdout. Tests pass a capture stream (see `createLogCapture`). */
  destination?: DestinationStream;
}

/**
 * Readable, coloured lines (pino-pretty) when a person watches: stdout is a terminal and
 * APP_ENV is local or development (`npm start`). Piped, redirected, under a process manager
 * or in any other environment, the lines stay JSON for whatever reads them.
 */
function terminalDestination(
  config: Pick<MargConfig, "app">,
  stdout: { isTTY?: boolean },
): DestinationStream | undefined {
  if (config.app.production || !["local", "development"].includes(config.app.env)) return undefined;
  if (stdout.isTTY !== true) return undefined;
  // Loaded only here: a server under a process manager (every production process) never
  // needs the pretty printer and its dependencies in memory.
  const pinoPretty = createRequire(import.meta.url)("pino-pretty") as typeof PinoPretty;
  return pinoPretty({
    colorize: process.env.NO_COLOR === undefined,
    sync: true,
    destination: 1,
    translateTime: "SYS:HH:MM:ss.l",
    messageFormat: "{app} · {msg}",
    ignore: "pid,hostname,app",
    // One line per entry, as the JSON was: a request's fields stay on its line.
    singleLine: true,
  });
}

/**
 * The one logger of a MARG process: JSON lines (whatever NODE_ENV says, so
 * log shippers never see two formats; readable lines only for a person at a
 * terminal in development), level from LOG_LEVEL, each line tagged
 * with the app, and credentials (cookies, authorization headers, any
 * `password`/`token`/`secret` field, at any depth, and `?token=`-style query
 * parameters of any URL, LOG_REDACT_PARAMS included) replaced by `[redacted]`.
 *
 * @example
 * const logger = createLogger(config);
 * logger.info({ userId }, "signed in");
 */
export function createLogger(
  config: { readonly log: Pick<MargConfig["log"], "level"> & Partial<MargConfig["log"]> } & Pick<
    MargConfig,
    "app"
  >,
  options: CreateLoggerOptions = {},
): Logger {
  return pino(
    {
      level: config.log.level,
      base: { app: config.app.id },
      // Redaction on the finished line, not pino's path-based `redact` (see createLineRedactor).
      hooks: { streamWrite: createLineRedactor(config.log.redactParams) },
    },
    // Synchronous stdout: pino's default stream is asynchronous, and on process.exit
    // (graceful shutdown, a crash) its final flush can overtake a write still in
    // flight, so the last lines before exit arrived out of order or not at all.
    options.destination ??
      terminalDestination(config, process.stdout) ??
      pino.destination({ dest: 1, sync: true }),
  );
}
