import { request as httpRequest } from "node:http";
import { generateAppKey, loadConfig, type MargConfig } from "../../config/index.js";
import { createLogCapture, createLogger, type LogCapture } from "../../logging/index.js";
import { createTempDir } from "../../testing/index.js";
import { createHttpApp } from "../create-http-app.js";
import type { HttpAppOptions } from "../types.js";

/** A validated config for HTTP tests; `env` overrides (APP_ENV, TRUSTED_PROXIES, BODY_LIMIT…). */
export function httpTestConfig(env: Record<string, string> = {}, app = "flow"): MargConfig {
  const dir = createTempDir("http");
  try {
    return loadConfig({ root: dir.path, app, env: { APP_KEY: generateAppKey(), LOG_LEVEL: "info", ...env } });
  } finally {
    dir.remove();
  }
}

/** An app whose log lines are captured, for asserting what was logged. */
export function createCapturedApp(config: MargConfig, options: Omit<HttpAppOptions, "logger"> = {}) {
  const logs: LogCapture = createLogCapture();
  const app = createHttpApp(config, {
    ...options,
    logger: createLogger(config, { destination: logs.destination }),
  });
  return { app, logs };
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly body: string;
}

/** A request over a real socket with any headers (fetch forbids setting Host). */
export function rawRequest(
  port: number,
  options: { path?: string; method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: "127.0.0.1",
        port,
        path: options.path ?? "/",
        method: options.method ?? "GET",
        headers: options.headers,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on("error", reject);
    req.end(options.body);
  });
}
