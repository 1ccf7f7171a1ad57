/**
 * Runs a node script as a real process and lists every module it resolved, through a loader
 * hook registered with --import (the hook runs in its own thread, so it logs to a file). For
 * tests about what a start loads. Writes its hook, its script and one log per run in `dir`.
 */
import { spawn } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";

const HOOKS = `
import { appendFileSync } from "node:fs";
let log;
export function initialize(data) { log = data.log; }
export async function resolve(specifier, context, next) {
  const resolved = await next(specifier, context);
  appendFileSync(log, specifier + "\\t" + resolved.url + "\\n");
  return resolved;
}
`;

export interface Resolution {
  /** As written in the import. */
  readonly specifier: string;
  /** Where it landed. */
  readonly url: string;
}

function registerScript(dir: string, log: string): string {
  const hooks = path.join(dir, "record-imports-hooks.mjs");
  writeFileSync(hooks, HOOKS);
  const script = path.join(dir, `record-imports-${path.basename(log, ".log")}.mjs`);
  writeFileSync(
    script,
    `import { register } from "node:module";\n` +
      `register(${JSON.stringify(pathToFileURL(hooks).href)}, { data: { log: ${JSON.stringify(log)} } });\n`,
  );
  return script;
}

/** Runs `node <script> <args>` in `dir` and resolves to its exit code and every module it resolved. */
export async function recordImports(
  dir: string,
  script: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; modules: Resolution[] }> {
  const name = `${path.basename(script, ".js")}-${args.join("-")}`.replace(/[^a-z0-9-]/gi, "_");
  const log = path.join(dir, `imports-${name}.log`);
  writeFileSync(log, "");
  const child = spawn(process.execPath, ["--import", registerScript(dir, log), script, ...args], {
    cwd: dir,
    env,
    stdio: "ignore",
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once("error", reject);
    child.once("exit", resolve);
  });
  const modules = readFileSync(log, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => {
      const [specifier = "", url = ""] = line.split("\t");
      return { specifier, url };
    });
  return { code, modules };
}
