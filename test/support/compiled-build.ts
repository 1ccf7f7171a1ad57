/**
 * The compiled code for suites that run MARG as production does (the rendered fleet, a compiled
 * `marg serve`, the bench's targets): `npm run build` once per test process, and the environment
 * such a process is started with. Reads: every workspace's src/. Writes: their dist/ (only the
 * files that changed, each replaced whole, so suites building at once do not disturb each other).
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "./spawn-process.js";

/** What production's units run: `node packages/cli/bin/marg-compiled.js <command>`. */
export const MARG_COMPILED_BIN = path.join(REPO_ROOT, "packages/cli/bin/marg-compiled.js");

let building: Promise<void> | undefined;

/** Builds every workspace into its dist/ (scripts/build.js), once per process. */
export function buildCompiled(): Promise<void> {
  building ??= new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [path.join(REPO_ROOT, "scripts/build.js")],
      { cwd: REPO_ROOT, env: withoutDevelopmentCondition(process.env), timeout: 180_000 },
      (error, stdout, stderr) =>
        error ? reject(new Error(`npm run build failed: ${error.message}\n${stdout}${stderr}`)) : resolve(),
    );
  });
  return building;
}

/**
 * `env` without the `development` export condition in NODE_OPTIONS (vitest's config and
 * `npm run bench` add it for the processes they start from source), so a compiled process
 * resolves `@marg/*` to dist/ from its first import.
 */
export function withoutDevelopmentCondition(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const options = (env.NODE_OPTIONS ?? "")
    .replace(/(^|\s)(--conditions[= ]|-C\s*)development(?=\s|$)/g, " ")
    .trim();
  const { NODE_OPTIONS: _dropped, ...rest } = env;
  return options === "" ? rest : { ...rest, NODE_OPTIONS: options };
}
