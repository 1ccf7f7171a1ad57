import path from "node:path";
import { MargError } from "../errors/index.js";
import type { MargConfig } from "./config-types.js";
import { layerEnv } from "./env-files.js";
import { ENV_NAMES, envSchema } from "./env-schema.js";
import { type ConfigIssue, resolveConfig } from "./resolve-config.js";
import { RETIRED_VARIABLE_NAMES, retiredVariableWarnings } from "./retired-variables.js";

export interface LoadConfigOptions {
  /** The app whose `apps/<app>/.env` is layered in; omit for the CLI and the front door. */
  app?: string;
  /** Title and database the app brings when the env leaves them unset. */
  appDefaults?: { name?: string; database?: string };
  /** Installation root (holds .env.shared and apps/). Default: MARG_ROOT or the current folder. */
  root?: string;
  /** The process environment to layer last. Default: `process.env`. */
  env?: Record<string, string | undefined>;
  /** Read this file instead of `<root>/.env.shared`. */
  sharedFile?: string;
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === "object" && !Buffer.isBuffer(value) && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Formats every problem in one message: the variable, where it came from, what is wrong, the fix. */
export function formatConfigIssues(
  issues: readonly ConfigIssue[],
  sources: Record<string, string>,
  app: string,
) {
  const lines = issues.map((issue) => {
    const base = issue.variable.replace(/\[\d+\]$/, "");
    const where = sources[base] === undefined ? "" : ` (from ${sources[base]})`;
    const fix = issue.fix ?? `set ${base} in .env.shared, apps/<app>/.env or the environment`;
    return `  • ${issue.variable}${where} ${issue.problem}. Fix: ${fix}.`;
  });
  const count = issues.length === 1 ? "1 configuration problem" : `${issues.length} configuration problems`;
  return `MARG cannot start ${app}: ${count}\n${lines.join("\n")}`;
}

/**
 * Loads, validates and freezes the configuration of one app, or throws one
 * `E_CONFIG_INVALID` error listing every problem at once.
 *
 * @example
 * const config = loadConfig({ app: "flow", appDefaults: { database: "klueportal" } });
 * config.session.cookie; // "marg_session"
 */
export function loadConfig(options: LoadConfigOptions = {}): MargConfig {
  const processEnv = options.env ?? process.env;
  const root = path.resolve(options.root ?? processEnv.MARG_ROOT ?? process.cwd());
  const layered = layerEnv({
    root,
    appId: options.app,
    processEnv,
    names: [...ENV_NAMES, ...RETIRED_VARIABLE_NAMES],
    ...(options.sharedFile === undefined ? {} : { sharedFile: options.sharedFile }),
  });
  const appLabel = options.app ?? "marg";
  const parsed = envSchema.safeParse(layered.values);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((issue) => ({
      variable: String(issue.path[0] ?? "?"),
      problem: issue.message,
    }));
    throw new MargError("E_CONFIG_INVALID", formatConfigIssues(issues, layered.sources, appLabel), {
      details: { issues },
    });
  }
  const { config, issues } = resolveConfig(parsed.data, {
    appId: appLabel,
    appDefaults: options.appDefaults ?? {},
    root,
  });
  if (issues.length > 0) {
    throw new MargError("E_CONFIG_INVALID", formatConfigIssues(issues, layered.sources, appLabel), {
      details: { issues },
    });
  }
  return deepFreeze({ ...config, warnings: retiredVariableWarnings(layered.values, layered.sources) });
}
