/**
 * Runs HAProxy with a haproxy.cfg rendered by the deploy package (`marg infra:render`)
 * on loopback, changing only what names the real fleet's machines: the listen
 * address, the runtime socket path, the user/chroot/daemon/syslog lines, and each
 * backend's `server` lines (pointed at the app processes the test started).
 * Everything that decides failover (option redispatch, retries, httpchk /health,
 * inter/fall/rise) stays as rendered.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { type BackgroundProcess, startBackground, waitFor } from "@marg/deploy/testing";

export interface LoopbackServer {
  readonly name: string;
  readonly port: number;
}

export interface LoopbackHaproxy {
  readonly port: number;
  readonly config: string;
  /** `UP`, `DOWN`, `MAINT`… as HAProxy's `show stat` reports it (first word of the status column). */
  status(backend: string, server: string): Promise<string>;
  stop(): Promise<void>;
}

/** The rendered config with the machine-specific lines replaced for a loopback run. */
export function loopbackHaproxyConfig(
  rendered: string,
  options: {
    port: number;
    socket: string;
    statsPort: number;
    backends: Record<string, readonly LoopbackServer[]>;
  },
): string {
  const out: string[] = [];
  let backend: string | undefined;
  for (const line of rendered.split("\n")) {
    const trimmed = line.trim();
    if (/^(log \/dev\/log|chroot |user |group |daemon$)/.test(trimmed)) continue;
    if (trimmed.startsWith("stats socket ")) {
      out.push(`    stats socket ${options.socket} mode 600 level admin`);
      continue;
    }
    if (trimmed === "bind :80") {
      out.push(`    bind 127.0.0.1:${options.port}`);
      continue;
    }
    if (/^bind 127\.0\.0\.1:\d+$/.test(trimmed)) {
      out.push(`    bind 127.0.0.1:${options.statsPort}`);
      continue;
    }
    const section = /^backend (\S+)/.exec(line);
    if (section !== null) backend = section[1];
    else if (/^\S/.test(line)) backend = undefined;
    if (trimmed.startsWith("server ") && backend !== undefined && backend in options.backends) {
      // The first `server` line of a backend stands for all of the test's processes.
      if (out.at(-1)?.trim().startsWith("server ")) continue;
      for (const server of options.backends[backend] ?? [])
        out.push(`    server ${server.name} 127.0.0.1:${server.port} check`);
      continue;
    }
    out.push(line);
  }
  return out.join("\n");
}

/** Sends one command to HAProxy's runtime API and returns its answer. */
export function haproxyApi(socket: string, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const client = connect(socket);
    let answer = "";
    client.on("data", (chunk) => {
      answer += chunk.toString();
    });
    client.on("end", () => resolve(answer));
    client.on("error", reject);
    client.write(`${command}\n`);
  });
}

/** Writes the loopback config beside `dir` and starts `haproxy -db` on it; resolves once it answers. */
export async function startLoopbackHaproxy(options: {
  renderedFile: string;
  dir: string;
  port: number;
  statsPort: number;
  backends: Record<string, readonly LoopbackServer[]>;
}): Promise<LoopbackHaproxy> {
  const socket = path.join(options.dir, "haproxy.sock");
  const config = loopbackHaproxyConfig(readFileSync(options.renderedFile, "utf8"), { ...options, socket });
  const file = path.join(options.dir, "haproxy.cfg");
  writeFileSync(file, config);
  const process: BackgroundProcess = startBackground("haproxy", ["-db", "-f", file]);
  await waitFor("HAProxy's runtime socket", async () =>
    (await haproxyApi(socket, "show info")).includes("Pid"),
  );
  return {
    port: options.port,
    config,
    async status(backend, server) {
      const csv = await haproxyApi(socket, "show stat");
      const row = csv.split("\n").find((line) => line.startsWith(`${backend},${server},`));
      // Column 18 (index 17) of `show stat` is the status: UP, DOWN, "UP 1/2"…
      return row?.split(",")[17]?.split(" ")[0] ?? "missing";
    },
    stop: () => process.stop(),
  };
}
