import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import path from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { generateAppKey } from "../config/index.js";
import type { LogLine } from "../logging/index.js";
import { createTempDir } from "../testing/index.js";

const FIXTURE = path.join(import.meta.dirname, "test-support", "shutdown-fixture.ts");
const REPO_ROOT = path.resolve(import.meta.dirname, "../../../..");
const temp = createTempDir("shutdown");
const children: ChildProcess[] = [];

afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});
afterAll(() => temp.remove());

/** A fixture process, its parsed log lines, and a way to wait for one. */
async function startFixture(mode: "direct" | "router", env: Record<string, string> = {}) {
  const child = spawn(process.execPath, ["--import", "tsx", FIXTURE, mode], {
    cwd: REPO_ROOT,
    env: {
      PATH: process.env.PATH,
      MARG_ROOT: temp.path,
      APP_KEY: generateAppKey(),
      LOG_LEVEL: "info",
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  const lines: LogLine[] = [];
  let pending = "";
  let stderr = "";
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    pending += chunk.toString();
    const complete = pending.split("\n");
    pending = complete.pop() ?? "";
    for (const line of complete) if (line.trim() !== "") lines.push(JSON.parse(line) as LogLine);
  });
  // "close", not "exit": it waits until stdout is drained, so every log line is in `lines`.
  const exited = once(child, "close").then(([code]) => code as number | null);
  const waitForLog = async (msg: RegExp): Promise<LogLine> => {
    for (;;) {
      const found = lines.find((line) => msg.test(line.msg ?? ""));
      if (found) return found;
      if (child.exitCode !== null) throw new Error(`fixture exited before ${msg}: ${stderr}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const ready = await waitForLog(/fixture ready/);
  return { child, lines, exited, waitForLog, base: `http://127.0.0.1:${ready.port}` };
}

describe("installGracefulShutdown (in a real process)", () => {
  it.each(["direct", "router"] as const)(
    "lets an in-flight request finish on SIGTERM, then closes and exits 0 (%s)",
    async (mode) => {
      const fixture = await startFixture(mode, { SHUTDOWN_TIMEOUT: "15" });
      // Two idle keep-alive connections that must not hold the shutdown open.
      await Promise.all(
        [fetch(`${fixture.base}/hello`), fetch(`${fixture.base}/hello`)].map(async (r) => (await r).text()),
      );
      const slow = fetch(`${fixture.base}/slow`);
      await fixture.waitForLog(/slow request started/);
      fixture.child.kill("SIGTERM");

      const response = await slow;
      expect(response.status).toBe(200);
      expect(await response.text()).toBe("slow request finished");
      expect(await fixture.exited).toBe(0);
      // Also guards createLogger's synchronous stdout: with pino's asynchronous
      // default, the last line before exit could arrive before the one logged first.
      const messages = fixture.lines.map((line) => line.msg);
      expect(messages.slice(-2)).toEqual(["fake-pool closed", "Shutdown complete"]);
    },
  );

  it("exits 1 at once on a second signal", async () => {
    const fixture = await startFixture("direct", { SHUTDOWN_TIMEOUT: "60" });
    void fetch(`${fixture.base}/hang`).catch(() => undefined);
    await fixture.waitForLog(/hanging request started/);
    fixture.child.kill("SIGTERM");
    await fixture.waitForLog(/Shutting down/);
    fixture.child.kill("SIGINT");
    expect(await fixture.exited).toBe(1);
    expect(fixture.lines.some((line) => /Second SIGINT/.test(line.msg ?? ""))).toBe(true);
  });

  it("exits 1 when in-flight requests outlast SHUTDOWN_TIMEOUT", async () => {
    const fixture = await startFixture("direct", { SHUTDOWN_TIMEOUT: "1" });
    void fetch(`${fixture.base}/hang`).catch(() => undefined);
    await fixture.waitForLog(/hanging request started/);
    fixture.child.kill("SIGTERM");
    expect(await fixture.exited).toBe(1);
    expect(fixture.lines.some((line) => /took longer than 1s/.test(line.msg ?? ""))).toBe(true);
  });
});
