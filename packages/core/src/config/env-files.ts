import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "dotenv";
import { MargError } from "../errors/index.js";

/** Where each variable's winning value came from, for error messages. */
export type EnvSources = Record<string, string>;

export interface LayeredEnv {
  readonly values: Record<string, string>;
  readonly sources: EnvSources;
}

/** Reads one .env file; a missing file is an empty layer, an unreadable one an error. */
export function readEnvFile(file: string): Record<string, string> {
  if (!existsSync(file)) return {};
  try {
    return parse(readFileSync(file));
  } catch (error) {
    throw new MargError(
      "E_CONFIG_FILE",
      `Cannot read ${file}: ${(error as Error).message}. Check its permissions.`,
      {
        cause: error,
      },
    );
  }
}

/**
 * Layers the configuration sources, later wins:
 * built-in defaults (in the schema) → `.env.shared` → `apps/<app>/.env` → process environment.
 * Only the names in `names` are taken from the process environment.
 */
export function layerEnv(options: {
  root: string;
  appId: string | undefined;
  processEnv: Record<string, string | undefined>;
  names: readonly string[];
  sharedFile?: string;
}): LayeredEnv {
  const values: Record<string, string> = {};
  const sources: EnvSources = {};
  const apply = (layer: Record<string, string | undefined>, source: string, only?: readonly string[]) => {
    for (const [name, value] of Object.entries(layer)) {
      if (value === undefined || (only !== undefined && !only.includes(name))) continue;
      values[name] = value;
      sources[name] = source;
    }
  };
  const shared = options.sharedFile ?? path.join(options.root, ".env.shared");
  apply(readEnvFile(shared), path.relative(options.root, shared) || shared);
  if (options.appId !== undefined) {
    const appFile = path.join(options.root, "apps", options.appId, ".env");
    apply(readEnvFile(appFile), path.relative(options.root, appFile));
  }
  apply(options.processEnv, "the environment", options.names);
  return { values, sources };
}
