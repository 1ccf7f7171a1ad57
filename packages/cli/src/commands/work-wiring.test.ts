import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateAppKey } from "@marg/core/config";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createMargInstallation } from "../../../../test/support/marg-installation.js";
import { MARG_BIN, REPO_ROOT, startProcess } from "../../../../test/support/spawn-process.js";

// `marg work` as a real process, on an installation whose MARG_APPS include a
// small app folder written here: one that dispatches a job nobody handles, one
// that redeclares core's mail.send with its own payload schema. The worker must
// refuse to start (naming the job and the queue, exit non-zero) instead of
// taking jobs it would fail, and say so when --queue names a queue nothing uses.

function writeApp(root: string, id: string, dispatches: string): void {
  const dir = path.join(root, "apps", id, "src");
  mkdirSync(dir, { recursive: true });
  writeFileSync(
    path.join(dir, "index.ts"),
    [
      // By path: the scratch installation has no node_modules of its own.
      `import { defineApp } from ${JSON.stringify(path.join(REPO_ROOT, "packages/core/src/app/index.ts"))};`,
      `import { QUEUE_NAMES } from ${JSON.stringify(path.join(REPO_ROOT, "packages/core/src/queue/index.ts"))};`,
      `import { z } from ${JSON.stringify(path.join(REPO_ROOT, "node_modules/zod/index.js"))};`,
      `export const app = defineApp({ id: ${JSON.stringify(id)}, title: ${JSON.stringify(id)}, dispatches: [${dispatches}] });`,
      "",
    ].join("\n"),
  );
  writeFileSync(
    path.join(root, "apps", id, "package.json"),
    JSON.stringify({
      name: `@marg/${id}`,
      private: true,
      type: "module",
      exports: { ".": "./src/index.ts" },
    }),
  );
}

describe("marg work checks what is dispatched against what it handles", () => {
  const installation = createMargInstallation("work-wiring");

  /** Runs `marg work` with these apps until it exits or prints `until`; returns its output and exit code. */
  async function work(apps: string, args: string[], until?: RegExp) {
    const worker = startProcess("node", [MARG_BIN, "work", "--no-scheduler", "--sleep", "0.2", ...args], {
      env: { MARG_ROOT: installation.root, MARG_APPS: apps },
    });
    if (until !== undefined) await worker.waitFor(until, 90_000);
    const code =
      until === undefined
        ? await new Promise((resolve) => worker.child.once("exit", resolve))
        : await worker.stop(10_000);
    return { code, output: worker.output() };
  }

  beforeAll(async () => {
    installation.writeSharedEnv({
      APP_KEY: generateAppKey(),
      MARG_APPS: "flow,links",
      QUEUE_CONNECTION: "database",
      LOG_LEVEL: "info",
    });
    writeApp(
      installation.root,
      "orphan",
      `{ name: "orphan.report", schema: z.object({}), queue: QUEUE_NAMES.reports }`,
    );
    writeApp(
      installation.root,
      "clash",
      `{ name: "mail.send", schema: z.object({ to: z.string() }), queue: QUEUE_NAMES.mail }`,
    );
    await installation.run(["migrate"]);
  }, 120_000);

  afterAll(() => installation.remove());

  it("refuses to start when a job dispatched to a queue it serves has no handler, naming the job and the queue", async () => {
    const { code, output } = await work("flow,links,orphan", []);
    expect(code).not.toBe(0);
    expect(output).toContain('Job "orphan.report" is dispatched to queue "reports"');
    expect(output).toContain("no handler");
    expect(output).not.toContain("worker started");
  }, 120_000);

  it("starts when that queue is left to other workers (--queue without it)", async () => {
    const { code, output } = await work("flow,links,orphan", ["--queue", "mail,default"], /worker started/);
    expect(code).toBe(0);
    expect(output).not.toContain("orphan.report");
  }, 120_000);

  it("refuses to start when two definitions of one job disagree on the payload schema", async () => {
    const { code, output } = await work("flow,links,clash", ["--queue", "default"]);
    expect(code).not.toBe(0);
    expect(output).toContain('Job "mail.send" has two definitions that disagree on the payload schema');
  }, 120_000);

  it("warns, in one line naming it and the known queues, about a --queue nothing is dispatched to", async () => {
    const { code, output } = await work("flow,links", ["--queue", "mail,emails"], /worker started/);
    expect(code).toBe(0);
    const line = output.split("\n").find((text) => text.includes('queue "emails"'));
    expect(line).toContain("known queues: default, images, mail, reports");
  }, 120_000);
});
