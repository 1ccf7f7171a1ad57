/**
 * Debian's Prometheus (apt install prometheus) as a test runs it: a given config
 * file, its own temp storage, a free loopback port; and the three things a test
 * asks it over its HTTP API: the targets, a query, the alerts (`ALERTS`).
 */
import { execFile } from "node:child_process";
import { createTempDir } from "@marg/core/testing";
import { freePort } from "./free-port.js";
import { type RunningProcess, startProcess } from "./spawn-process.js";

export const PROMETHEUS_BIN = "/usr/bin/prometheus";
export const PROMTOOL_BIN = "/usr/bin/promtool";

export interface PrometheusTarget {
  readonly job: string;
  readonly instance: string;
  readonly health: "up" | "down" | "unknown";
  readonly lastError: string;
}

export interface PromSample {
  readonly metric: Readonly<Record<string, string>>;
  readonly value: number;
}

export interface RunningPrometheus {
  readonly url: string;
  readonly process: RunningProcess;
  targets(): Promise<PrometheusTarget[]>;
  /** An instant query's vector (`/api/v1/query`). */
  query(expr: string): Promise<PromSample[]>;
  stop(): Promise<void>;
}

interface ApiAnswer<T> {
  status: "success" | "error";
  data: T;
  error?: string;
}

async function api<T>(url: string): Promise<T> {
  const response = await fetch(url);
  const body = (await response.json()) as ApiAnswer<T>;
  if (body.status !== "success") throw new Error(`${url}: ${body.error ?? response.status}`);
  return body.data;
}

/** Runs `promtool <args>`; rejects with its output when it exits non-zero. */
export function promtool(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(PROMTOOL_BIN, args, (error, stdout, stderr) => {
      if (error) reject(new Error(`promtool ${args.join(" ")} failed:\n${stdout}${stderr}`));
      else resolve(stdout + stderr);
    });
  });
}

/** Starts Prometheus on `configFile` and resolves once it says it is ready. */
export async function startPrometheus(configFile: string): Promise<RunningPrometheus> {
  const storage = createTempDir("prometheus-tsdb");
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const process = startProcess(PROMETHEUS_BIN, [
    `--config.file=${configFile}`,
    `--storage.tsdb.path=${storage.path}`,
    `--web.listen-address=127.0.0.1:${port}`,
  ]);
  const stop = async () => {
    await process.stop(5_000);
    storage.remove();
  };
  try {
    await process.waitFor(/Server is ready to receive web requests/, 60_000);
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    url,
    process,
    async targets() {
      const data = await api<{
        activeTargets: {
          labels: Record<string, string>;
          health: PrometheusTarget["health"];
          lastError: string;
        }[];
      }>(`${url}/api/v1/targets?state=active`);
      return data.activeTargets.map((target) => ({
        job: target.labels.job ?? "",
        instance: target.labels.instance ?? "",
        health: target.health,
        lastError: target.lastError,
      }));
    },
    async query(expr) {
      const data = await api<{ result: { metric: Record<string, string>; value: [number, string] }[] }>(
        `${url}/api/v1/query?query=${encodeURIComponent(expr)}`,
      );
      return data.result.map((sample) => ({ metric: sample.metric, value: Number(sample.value[1]) }));
    },
    stop,
  };
}
