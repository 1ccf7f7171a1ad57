import { spawn } from "node:child_process";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { MARG_BIN } from "../../../test/support/spawn-process.js";

const temp = createTempDir("closed-pipe");
afterAll(() => temp.remove());

/** Runs `marg <args>` with stdout read for its first chunk only, then closed (as `| head -1` does). */
function firstChunkThenClose(args: readonly string[]): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [MARG_BIN, ...args], {
      cwd: temp.path,
      env: { ...process.env, MARG_ROOT: temp.path, NO_COLOR: "1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.once("data", () => child.stdout.destroy());
    child.once("error", reject);
    child.once("exit", (code) => resolve({ code, stderr }));
  });
}

describe("marg with its reader gone", () => {
  it("stops quietly with its own exit code instead of crashing on EPIPE", async () => {
    // doctor prints a line per check; in an empty folder the configuration check fails (exit 3, its "failures").
    const { code, stderr } = await firstChunkThenClose(["doctor"]);
    expect(stderr).not.toMatch(/EPIPE|Unhandled 'error' event/);
    expect(code).toBe(3);
  }, 60_000);
});
