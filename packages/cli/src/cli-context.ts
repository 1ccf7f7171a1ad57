import type { LoadConfigOptions, MargConfig } from "@marg/core/config";
import { isMargError } from "@marg/core/errors";
import { EXIT } from "./exit-codes.js";
import type { Output } from "./output.js";

type LoadConfig = (options: LoadConfigOptions) => MargConfig;

/**
 * The config module (the schema, zod, dotenv) is loaded when a command runs, not when
 * `marg --help` only lists the commands; `config()` stays synchronous for the commands.
 */
let loadConfig: LoadConfig | undefined;

async function preloadConfigModule(): Promise<void> {
  loadConfig ??= (await import("@marg/core/config")).loadConfig;
}

function configLoader(): LoadConfig {
  if (loadConfig === undefined) {
    throw new Error("ctx.config() runs only inside ctx.action(…), which loads the config module first.");
  }
  return loadConfig;
}

/** What every command gets: where it runs, how it prints, its config on demand, and its exit code. */
export interface CliContext {
  readonly root: string;
  readonly env: Record<string, string | undefined>;
  /**
   * Loads (and validates) the config of one app, or of the installation when `app` is omitted.
   * Only inside an action: `action()` loads the config module before it calls the command.
   */
  config(app?: string): MargConfig;
  output(json: boolean): Output;
  /**
   * Wraps a command's action: its returned number becomes the exit code, and a
   * thrown MargError is printed as one clear message (exit 2 for usage, else 1)
   * instead of a stack trace.
   */
  action<A extends unknown[]>(
    fn: (...args: A) => Promise<number | undefined> | number | undefined,
  ): (...args: A) => Promise<void>;
  readonly exitCode: number;
}

export function createCliContext(options: {
  root: string;
  env: Record<string, string | undefined>;
  output: (json: boolean) => Output;
}): CliContext {
  let exitCode: number = EXIT.OK;
  return {
    root: options.root,
    env: options.env,
    config: (app) =>
      configLoader()({ root: options.root, env: options.env, ...(app === undefined ? {} : { app }) }),
    output: options.output,
    action(fn) {
      return async (...args) => {
        try {
          await preloadConfigModule();
          exitCode = (await fn(...args)) ?? EXIT.OK;
        } catch (error) {
          const out = options.output(false);
          if (isMargError(error)) {
            out.error(error.message);
            exitCode = error.code === "E_CLI_USAGE" ? EXIT.USAGE : EXIT.FAILURE;
          } else {
            out.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
            exitCode = EXIT.FAILURE;
          }
        }
      };
    },
    get exitCode() {
      return exitCode;
    },
  };
}
