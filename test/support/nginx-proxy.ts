/**
 * A real nginx (Debian's /usr/sbin/nginx) in front of app processes, for e2e tests:
 * its own temp prefix with config, pid, logs and temp paths, run as a foreground
 * child (`daemon off`) on a loopback port, one `server` per host name. Reads and
 * writes only its temp folder, removed by `stop()`.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { type RunningProcess, startProcess } from "./spawn-process.js";
import { waitForPort } from "./wait-for-port.js";

export const NGINX_BIN = "/usr/sbin/nginx";

export interface NginxRoute {
  /** The `server_name`, e.g. flow.marg.test. */
  readonly serverName: string;
  /** The loopback port of the app process behind it. */
  readonly upstreamPort: number;
}

export interface NginxProxy {
  readonly port: number;
  /** The access log so far: one line per request, `$host $request_id $status "$request"`. */
  accessLog(): string;
  stop(): Promise<void>;
}

function renderConfig(dir: string, port: number, routes: readonly NginxRoute[]): string {
  const servers = routes.map(
    (route) => `
  server {
    listen 127.0.0.1:${port};
    server_name ${route.serverName};
    location / {
      proxy_pass http://127.0.0.1:${route.upstreamPort};
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $http_host;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Request-Id $request_id;
    }
  }`,
  );
  return `# Written by test/support/nginx-proxy.ts for one test run.
daemon off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/logs/error.log warn;
events { worker_connections 256; }
http {
  log_format marg '$host $request_id $status "$request"';
  access_log ${dir}/logs/access.log marg;
  client_body_temp_path ${dir}/temp/client_body;
  proxy_temp_path ${dir}/temp/proxy;
  fastcgi_temp_path ${dir}/temp/fastcgi;
  uwsgi_temp_path ${dir}/temp/uwsgi;
  scgi_temp_path ${dir}/temp/scgi;
  # A host no app answers gets nothing.
  server {
    listen 127.0.0.1:${port} default_server;
    return 444;
  }${servers.join("")}
}
`;
}

/** Starts nginx on `port` and resolves once it accepts connections. */
export async function startNginxProxy(options: {
  port: number;
  routes: readonly NginxRoute[];
}): Promise<NginxProxy> {
  const dir = createTempDir("nginx");
  // As root, nginx's workers run as `nobody`: they must be able to reach the temp paths.
  chmodSync(dir.path, 0o755);
  mkdirSync(path.join(dir.path, "logs"));
  mkdirSync(path.join(dir.path, "temp"));
  const conf = path.join(dir.path, "nginx.conf");
  writeFileSync(conf, renderConfig(dir.path, options.port, options.routes));
  // -e: the error log before the config is read (else nginx tries /var/log/nginx first).
  const nginx: RunningProcess = startProcess(NGINX_BIN, [
    "-p",
    dir.path,
    "-c",
    conf,
    "-e",
    path.join(dir.path, "logs", "error.log"),
  ]);
  try {
    await waitForPort(options.port, nginx, 10_000);
  } catch (error) {
    await nginx.stop(2_000);
    const errors = readOr(path.join(dir.path, "logs", "error.log"));
    dir.remove();
    throw new Error(`nginx did not start: ${(error as Error).message}\n${errors}`);
  }
  return {
    port: options.port,
    accessLog: () => readOr(path.join(dir.path, "logs", "access.log")),
    async stop() {
      await nginx.stop(5_000);
      dir.remove();
    },
  };
}

function readOr(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return "";
  }
}
