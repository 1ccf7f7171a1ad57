/**
 * A bounded HTTP load from its own process (loopback only): `concurrency` loops
 * send GET requests to 127.0.0.1:port with a Host and an optional Cookie, each
 * loop at most `rate` requests per second, until SIGTERM. Then it prints one JSON
 * line (LoadSummary) and exits. Started by load-client.ts; run as
 * `node --import tsx load-generator.ts '<json options>'`.
 */
import { Agent, request } from "node:http";

export interface LoadOptions {
  readonly port: number;
  readonly host: string;
  readonly path: string;
  readonly cookie?: string;
  /** A response counts as served only if its body contains this text. */
  readonly expect?: string;
  readonly concurrency: number;
  /** Per loop, requests per second at most. */
  readonly rate: number;
}

export interface LoadFailure {
  readonly at: number;
  readonly status: number;
  readonly error?: string;
}

export interface LoadSummary {
  readonly sent: number;
  readonly ok: number;
  readonly failed: number;
  readonly failures: readonly LoadFailure[];
  /** X-Served-By value → responses. */
  readonly servedBy: Record<string, number>;
}

function once(
  options: LoadOptions,
  agent: Agent,
): Promise<{ status: number; body: string; servedBy: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        agent,
        host: "127.0.0.1",
        port: options.port,
        path: options.path,
        headers: {
          host: `${options.host}:${options.port}`,
          ...(options.cookie ? { cookie: options.cookie } : {}),
        },
        timeout: 10_000,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => {
          body += chunk;
        });
        res.on("end", () =>
          resolve({ status: res.statusCode ?? 0, body, servedBy: String(res.headers["x-served-by"] ?? "") }),
        );
        res.on("error", reject);
      },
    );
    req.on("timeout", () => req.destroy(new Error("timeout")));
    req.on("error", reject);
    req.end();
  });
}

async function main(): Promise<void> {
  const options = JSON.parse(process.argv[2] ?? "{}") as LoadOptions;
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const summary = {
    sent: 0,
    ok: 0,
    failed: 0,
    failures: [] as LoadFailure[],
    servedBy: {} as Record<string, number>,
  };
  let running = true;
  process.on("SIGTERM", () => {
    running = false;
  });
  const loop = async () => {
    while (running) {
      const started = Date.now();
      summary.sent += 1;
      try {
        const response = await once(options, agent);
        const good =
          response.status === 200 && (options.expect === undefined || response.body.includes(options.expect));
        if (good) {
          summary.ok += 1;
          summary.servedBy[response.servedBy] = (summary.servedBy[response.servedBy] ?? 0) + 1;
        } else {
          summary.failed += 1;
          summary.failures.push({ at: started, status: response.status });
        }
      } catch (error) {
        summary.failed += 1;
        summary.failures.push({ at: started, status: 0, error: String(error) });
      }
      const pause = 1000 / options.rate - (Date.now() - started);
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
    }
  };
  process.stdout.write("load started\n");
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  agent.destroy();
  process.stdout.write(`${JSON.stringify(summary)}\n`);
}

await main();
