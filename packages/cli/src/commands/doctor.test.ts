import { chmodSync, writeFileSync } from "node:fs";
import path from "node:path";
import { Writable } from "node:stream";
import { generateAppKey, loadConfig } from "@marg/core/config";
import { createDatabases } from "@marg/core/db";
import { createQueueBackend } from "@marg/core/queue";
import type { SessionDatabase } from "@marg/core/session";
import { createTempDir } from "@marg/core/testing";
import { DatabaseSessionStore } from "@marg/core/testing/session";
import { Command } from "commander";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createCliContext } from "../cli-context.js";
import { createOutput } from "../output.js";
import { registerDoctor } from "./doctor.js";
import { registerMigrate } from "./migrate.js";

// `marg doctor` on a real, migrated installation of flow and links: warnings
// (nobody signed in, no worker) exit 1, all fine exits 0, a broken condition exits 3 (2 is bad usage).

const root = createTempDir("cli-doctor");
const env = {
  APP_KEY: generateAppKey(),
  APP_ENV: "testing",
  MARG_APPS: "flow,links",
  MARG_DOMAIN: "marg.test",
  SESSION_DOMAIN: ".marg.test",
  STORAGE_PATH: path.join(root.path, "storage"),
  LOG_LEVEL: "silent",
};
const shared = path.join(root.path, ".env.shared");

async function marg(args: string[]): Promise<{ code: number; stdout: string }> {
  let stdout = "";
  const sink = new Writable({
    write(chunk, _encoding, done) {
      stdout += chunk.toString();
      done();
    },
  });
  const quiet = new Writable({ write: (_chunk, _encoding, done) => done() });
  const ctx = createCliContext({
    root: root.path,
    env: {},
    output: (json) => createOutput({ json, stdout: sink, stderr: quiet }),
  });
  const program = new Command("marg").exitOverride();
  registerMigrate(program, ctx);
  registerDoctor(program, ctx);
  await program.parseAsync(["node", "marg", ...args]);
  return { code: ctx.exitCode, stdout };
}

interface Report {
  level: string;
  findings: { id: string; level: string; message: string; fix?: string }[];
}

describe("marg doctor", () => {
  beforeAll(async () => {
    writeFileSync(
      shared,
      `${Object.entries(env)
        .map(([k, v]) => `${k}=${v}`)
        .join("\n")}\n`,
    );
    chmodSync(shared, 0o600);
    expect((await marg(["migrate"])).code).toBe(0);
  }, 60_000);
  afterAll(() => root.remove());

  it("exits 1 with warnings on a fresh installation: nobody signed in, no worker running", async () => {
    const { code, stdout } = await marg(["doctor", "--json"]);
    const report = JSON.parse(stdout) as Report;
    expect(code).toBe(1);
    expect(report.level).toBe("warn");
    const warned = report.findings.filter((finding) => finding.level === "warn").map((finding) => finding.id);
    expect(warned.sort()).toEqual(["queue.workers", "session.keys"]);
    expect(report.findings.every((finding) => finding.level !== "fail")).toBe(true);
  });

  it("exits 0 once a worker runs and someone is signed in", async () => {
    const config = loadConfig({ root: root.path, env: {} });
    const backend = await createQueueBackend(config);
    const databases = createDatabases(config);
    try {
      const now = Date.now();
      await backend.recordWorker(
        {
          id: "doctor-test-worker",
          host: "test",
          pid: process.pid,
          queues: ["default"],
          state: "running",
          startedAt: now,
          lastSeenAt: now,
          processed: 0,
          failed: 0,
          completedLastMinute: 0,
          failedLastMinute: 0,
        },
        60_000,
      );
      await new DatabaseSessionStore(databases.connection<SessionDatabase>("rbac")).write("e".repeat(64), {
        mode: "create",
        set: {},
        unset: [],
        userId: "1",
        createdAt: now,
        lastActivity: now,
        expiresAt: now + 600_000,
        deadline: now + 1_200_000,
      });
    } finally {
      await backend.close();
      await databases.destroy();
    }
    const { code, stdout } = await marg(["doctor", "--json"]);
    expect((JSON.parse(stdout) as Report).findings.filter((finding) => finding.level !== "ok")).toEqual([]);
    expect(code).toBe(0);
  });

  it("exits 3 when something is broken, printing one line per finding and the fix under it", async () => {
    chmodSync(shared, 0o644);
    try {
      const { code, stdout } = await marg(["doctor"]);
      expect(code).toBe(3);
      expect(stdout).toMatch(/^fail {2}\.env\.shared is readable by every user on the server \(mode 644\)/m);
      expect(stdout).toMatch(/^ {6}fix: chmod 600 \.env\.shared/m);
      expect(stdout).toMatch(/^ok {4}redis: |^ok {4}not used/m);
      expect(stdout).toMatch(/1 failing, 0 warnings, \d+ ok\./);
    } finally {
      chmodSync(shared, 0o600);
    }
  });
});
