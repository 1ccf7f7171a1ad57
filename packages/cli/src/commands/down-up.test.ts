import { writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { createScratchRedisPrefix, createTempDir, TEST_REDIS } from "@marg/core/testing";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../../../test/support/free-port.js";
import { MARG_BIN, type RunningProcess, startProcess } from "../../../../test/support/spawn-process.js";
import { createCliContext } from "../cli-context.js";
import { createOutput } from "../output.js";
import { registerDown } from "./down.js";
import { parseDownFlags } from "./down-action.js";
import { registerUp } from "./up.js";

// `marg down` / `marg up` against two real `marg serve` processes (flow and
// links) that share one Redis: one command takes both down, the secret
// bypass works on both, `marg up` brings both back.

const root = createTempDir("down-up");
const scratch = createScratchRedisPrefix("down");
const servers: { app: string; port: number; process: RunningProcess }[] = [];
const env: Record<string, string> = {
  APP_KEY: `base64:${Buffer.alloc(32, 7).toString("base64")}`,
  APP_ENV: "testing",
  MARG_APPS: "flow,links",
  SESSION_DRIVER: "redis",
  CACHE_STORE: "redis",
  QUEUE_CONNECTION: "redis",
  REDIS_HOST: TEST_REDIS.host,
  REDIS_PORT: String(TEST_REDIS.port),
  REDIS_PREFIX: scratch.prefix,
  SESSION_DOMAIN: ".marg.localhost",
  STORAGE_PATH: path.join(root.path, "storage"),
  LOG_LEVEL: "warn",
};

async function marg(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = "";
  let stderr = "";
  const sink = (append: (text: string) => void) =>
    new Writable({
      write(chunk, _encoding, done) {
        append(chunk.toString());
        done();
      },
    });
  const ctx = createCliContext({
    root: root.path,
    env: {},
    output: (json) =>
      createOutput({
        json,
        stdout: sink((text) => {
          stdout += text;
        }),
        stderr: sink((text) => {
          stderr += text;
        }),
      }),
  });
  const program = new Command("marg").exitOverride();
  registerDown(program, ctx);
  registerUp(program, ctx);
  await program.parseAsync(["node", "marg", ...args]);
  return { code: ctx.exitCode, stdout, stderr };
}

async function status(port: number, url: string, headers: Record<string, string> = {}): Promise<number> {
  const response = await fetch(`http://127.0.0.1:${port}${url}`, { headers, redirect: "manual" });
  await response.arrayBuffer();
  return response.status;
}

async function eventually(what: string, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

const flow = () => servers[0] as (typeof servers)[number];
const links = () => servers[1] as (typeof servers)[number];

describe("marg down / marg up across app processes", () => {
  beforeAll(async () => {
    writeFileSync(
      path.join(root.path, ".env.shared"),
      `${Object.entries(env)
        .map(([key, value]) => `${key}=${value}`)
        .join("\n")}\n`,
      { mode: 0o600 },
    );
    for (const app of ["flow", "links"]) {
      const port = await freePort();
      const process = startProcess("node", [MARG_BIN, "serve", app], {
        env: { MARG_ROOT: root.path, PORT: String(port), HOST: "127.0.0.1" },
      });
      servers.push({ app, port, process });
    }
    for (const server of servers) {
      await eventually(`${server.app} to serve`, async () => {
        if (server.process.child.exitCode !== null) throw new Error(server.process.output());
        return (await status(server.port, "/health/live").catch(() => 0)) === 200;
      });
    }
  }, 90_000);

  afterAll(async () => {
    for (const server of servers) await server.process.stop();
    await scratch.clear();
    root.remove();
  });

  it("takes every app down on every process with one command, /health still 200", async () => {
    const result = await marg(["down", "--message", "Deploying updates...", "--retry", "30"]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("Every app is down");
    for (const server of servers) {
      await eventually(
        `${server.app} to answer 503`,
        async () => (await status(server.port, "/login")) === 503,
      );
      const response = await fetch(`http://127.0.0.1:${server.port}/login`);
      expect(response.headers.get("retry-after")).toBe("30");
      expect(await response.text()).toContain("Deploying updates...");
      expect(await status(server.port, "/health")).toBe(200);
    }
  });

  it("lets the team through on every app after one visit to the secret URL", async () => {
    const result = await marg(["down", "--secret", "--json"]);
    expect(result.code).toBe(0);
    const { bypassUrl } = JSON.parse(result.stdout) as { bypassUrl: string };
    const secretPath = new URL(bypassUrl).pathname;
    await eventually("the new record", async () => {
      const unlock = await fetch(`http://127.0.0.1:${flow().port}${secretPath}`, { redirect: "manual" });
      return unlock.status === 303;
    });
    const unlock = await fetch(`http://127.0.0.1:${flow().port}${secretPath}`, { redirect: "manual" });
    const cookie = (unlock.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    expect(cookie).toMatch(/^marg_maintenance_bypass=/);
    for (const server of servers) {
      // Each process picks the new record up within its cache's second.
      await eventually(`${server.app} to honour the cookie`, async () => {
        return (await status(server.port, "/login", { cookie })) === 200;
      });
      expect(await status(server.port, "/login")).toBe(503);
    }
  });

  it("brings every process back with marg up", async () => {
    const result = await marg(["up"]);
    expect(result.code).toBe(0);
    for (const server of servers) {
      await eventually(
        `${server.app} to serve again`,
        async () => (await status(server.port, "/login")) === 200,
      );
    }
  });

  it("takes down only the app --app names, and `marg up --app` brings it back", async () => {
    expect((await marg(["down", "--app", "links"])).code).toBe(0);
    await eventually("links to answer 503", async () => (await status(links().port, "/login")) === 503);
    expect(await status(flow().port, "/login")).toBe(200);
    expect((await marg(["up", "--app", "links"])).code).toBe(0);
    await eventually("links to serve again", async () => (await status(links().port, "/login")) === 200);
  });

  it("warns that `marg up --app` cannot lift a fleet-wide `marg down`", async () => {
    await marg(["down"]);
    const result = await marg(["up", "--app", "flow"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("still down");
    expect((await marg(["up"])).code).toBe(0);
  });
  it("refuses an app that is not in MARG_APPS", async () => {
    const result = await marg(["down", "--app", "nope"]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("not in MARG_APPS");
  });
});

describe("marg down's flags", () => {
  const flags = { message: "Deploying updates...", retry: "60", allow: [] as string[] };

  it("refuses bad input with a message naming the flag", () => {
    expect(() => parseDownFlags({ ...flags, retry: "soon" })).toThrow(/--retry/);
    expect(() => parseDownFlags({ ...flags, secret: "a/b" })).toThrow(/--secret/);
    expect(() => parseDownFlags({ ...flags, allow: ["10.0.0.300"] })).toThrow(/--allow/);
    expect(() => parseDownFlags({ ...flags, message: " " })).toThrow(/--message/);
  });

  it("never stores the secret itself, only hashes", () => {
    const { state, secret } = parseDownFlags({ ...flags, secret: true });
    expect(secret).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    expect(JSON.stringify(state)).not.toContain(secret);
    expect(state.secretHash).toMatch(/^[0-9a-f]{64}$/);
  });
});
