/**
 * Debian's supervisord running a rendered `conf.d/marg.conf` as the server
 * would (its programs, numprocs, %(process_num)d environment), from a main
 * config in a temp folder: its own socket, log and pid file, in the foreground.
 */
import { execFile } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type RunningProcess, startProcess } from "./spawn-process.js";

export interface RunningSupervisord {
  readonly process: RunningProcess;
  /** `supervisorctl <args>` against this supervisord; resolves with its output (it exits 3 on a stopped program). */
  ctl(args: readonly string[]): Promise<string>;
  /** supervisord's own log and every program log under `logDir`, for failure messages. */
  logs(): string;
  /** Stops every program (each gets its SIGTERM and stopwaitsecs), then supervisord. */
  stop(): Promise<void>;
}

export function startSupervisord(options: {
  dir: string;
  include: string;
  logDir: string;
}): RunningSupervisord {
  const { dir } = options;
  const conf = path.join(dir, "supervisord.conf");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    conf,
    [
      "[unix_http_server]",
      `file=${path.join(dir, "supervisor.sock")}`,
      "[supervisord]",
      "nodaemon=true",
      `logfile=${path.join(dir, "supervisord.log")}`,
      `pidfile=${path.join(dir, "supervisord.pid")}`,
      `childlogdir=${dir}`,
      "[rpcinterface:supervisor]",
      "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface",
      "[supervisorctl]",
      `serverurl=unix://${path.join(dir, "supervisor.sock")}`,
      "[include]",
      `files=${options.include}`,
      "",
    ].join("\n"),
  );
  const process = startProcess("/usr/bin/supervisord", ["-c", conf]);
  const ctl = (args: readonly string[]) =>
    new Promise<string>((resolve) => {
      execFile("/usr/bin/supervisorctl", ["-c", conf, ...args], (_error, stdout, stderr) =>
        resolve(stdout + stderr),
      );
    });
  const read = (file: string) => {
    try {
      return readFileSync(file, "utf8").slice(-3000);
    } catch {
      return "";
    }
  };
  return {
    process,
    ctl,
    logs() {
      let files: string[] = [];
      try {
        files = readdirSync(options.logDir).map((name) => path.join(options.logDir, name));
      } catch {
        // No program has logged yet.
      }
      return [path.join(dir, "supervisord.log"), ...files]
        .map((file) => `--- ${file}\n${read(file)}`)
        .join("\n");
    },
    async stop() {
      if (process.child.exitCode === null) await ctl(["stop", "all"]);
      await process.stop(10_000);
    },
  };
}
