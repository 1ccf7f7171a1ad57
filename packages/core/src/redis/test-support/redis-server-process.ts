import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createServer } from "node:net";
import { tmpdir } from "node:os";

/** A loopback TCP port nobody listens on right now. */
export async function findFreePort(): Promise<number> {
  const server = createServer();
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const address = server.address();
  server.close();
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}

export interface RedisServerProcess {
  readonly port: number;
  /** Stops the server (SIGKILL: an abrupt outage, as a crash or a network cut looks to clients). */
  stop(): Promise<void>;
}

/**
 * Starts a throwaway redis-server on a loopback port, persisting nothing, for
 * tests that need a Redis they can stop and start. Resolves once it accepts connections.
 */
export async function startRedisServer(options: {
  port: number;
  password?: string;
  args?: readonly string[];
}): Promise<RedisServerProcess> {
  const args = ["--port", String(options.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  args.push("--dir", tmpdir(), ...(options.args ?? []));
  if (options.password !== undefined) args.push("--requirepass", options.password);
  const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
  await waitForOutput(child, /Ready to accept connections/);
  return {
    port: options.port,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, "exit");
      child.kill("SIGKILL");
      await exited;
    },
  };
}

/** Resolves when the child prints `pattern`; rejects if it exits first. */
export function waitForOutput(child: ChildProcess, pattern: RegExp, timeoutMs = 10_000): Promise<void> {
  return new Promise((resolve, reject) => {
    let seen = "";
    const timer = setTimeout(
      () => finish(new Error(`timed out waiting for ${pattern}:\n${seen}`)),
      timeoutMs,
    );
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (pattern.test(seen)) finish();
    };
    const onExit = (code: number | null) => finish(new Error(`exited (${code}) before ${pattern}:\n${seen}`));
    function finish(error?: Error) {
      clearTimeout(timer);
      child.stdout?.off("data", onData);
      child.stderr?.off("data", onData);
      child.off("exit", onExit);
      if (error === undefined) resolve();
      else reject(error);
    }
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.on("exit", onExit);
  });
}
