/**
 * A MARG installation in a temp folder, operated as an operator would: its own
 * `.env.shared` and `apps/<app>/.env`, `marg migrate` and `marg db:seed` run as
 * real processes, each app served by its own `marg serve` process. Reads and
 * writes only the temp folder (MARG_ROOT), removed by `remove()`.
 */
import { execFile } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { MARG_BIN, REPO_ROOT, type RunningProcess, startProcess } from "./spawn-process.js";
import { waitForPort } from "./wait-for-port.js";

export type EnvLines = Readonly<Record<string, string>>;

export interface MargInstallation {
  /** The MARG_ROOT of every command run here. */
  readonly root: string;
  /** (Re)writes `.env.shared`; read by processes started after it. */
  writeSharedEnv(env: EnvLines): void;
  /** (Re)writes `apps/<app>/.env`. */
  writeAppEnv(app: string, env: EnvLines): void;
  /** Runs `marg <args>` to completion; rejects with its output if it exits non-zero. */
  run(args: readonly string[]): Promise<string>;
  /** Starts `marg serve <app> --port <port>` and resolves once it accepts connections. */
  serve(app: string, port: number): Promise<RunningProcess>;
  remove(): void;
}

const toLines = (env: EnvLines) =>
  `${Object.entries(env)
    .map(([name, value]) => `${name}=${value}`)
    .join("\n")}\n`;

export function createMargInstallation(label: string): MargInstallation {
  const dir = createTempDir(label);
  const env = { MARG_ROOT: dir.path, FORCE_COLOR: "0", NO_COLOR: "1" };
  return {
    root: dir.path,
    writeSharedEnv(values) {
      writeFileSync(path.join(dir.path, ".env.shared"), toLines(values), { mode: 0o600 });
    },
    writeAppEnv(app, values) {
      mkdirSync(path.join(dir.path, "apps", app), { recursive: true });
      writeFileSync(path.join(dir.path, "apps", app, ".env"), toLines(values));
    },
    run(args) {
      return new Promise((resolve, reject) => {
        execFile(
          "node",
          [MARG_BIN, ...args],
          { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 120_000 },
          (error, stdout, stderr) => {
            if (error)
              reject(new Error(`marg ${args.join(" ")} failed: ${error.message}\n${stdout}${stderr}`));
            else resolve(stdout + stderr);
          },
        );
      });
    },
    async serve(app, port) {
      const server = startProcess("node", [MARG_BIN, "serve", app, "--port", String(port)], { env });
      try {
        await waitForPort(port, server, 90_000);
      } catch (error) {
        await server.stop(2_000);
        throw error;
      }
      return server;
    },
    remove: () => dir.remove(),
  };
}
