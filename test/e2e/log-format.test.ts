import { writeFileSync } from "node:fs";
import path from "node:path";
import { createTempDir } from "@marg/core/testing";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.js";
import { hostRequest } from "../support/host-request.js";
import { MARG_BIN, type RunningProcess, startProcess } from "../support/spawn-process.js";

// `npm start`'s log as a person sees it in a terminal (a real pseudo-terminal: util-linux's
// `script` runs marg in one), and as a program reading a pipe sees it.

const ESC = "\u001b";
const roots: ReturnType<typeof createTempDir>[] = [];
const running: RunningProcess[] = [];
afterAll(async () => {
  await Promise.all(running.map((process) => process.stop()));
  for (const root of roots) root.remove();
});

async function installation(): Promise<{ root: string; port: number }> {
  const root = createTempDir("log-format");
  roots.push(root);
  const port = await freePort();
  writeFileSync(
    path.join(root.path, ".env.shared"),
    `APP_KEY=base64:${Buffer.alloc(32, 3).toString("base64")}\nPORT=${port}\nLOG_LEVEL=info\n`,
    { mode: 0o600 },
  );
  return { root: root.path, port };
}

describe("the log of `npm start`", () => {
  it("is readable, coloured lines on a terminal, and JSON lines through a pipe", async () => {
    const [tty, pipe] = [await installation(), await installation()];
    // NO_COLOR unset in the terminal: startProcess sets it for the piped runs of other suites.
    const onTerminal = startProcess("script", ["-qfec", `${process.execPath} ${MARG_BIN} dev`, "/dev/null"], {
      env: { MARG_ROOT: tty.root, NO_COLOR: undefined, FORCE_COLOR: undefined, TERM: "xterm" },
    });
    const piped = startProcess(process.execPath, [MARG_BIN, "dev"], { env: { MARG_ROOT: pipe.root } });
    running.push(onTerminal, piped);
    await Promise.all([onTerminal.waitFor(/Ctrl-C stops/, 120_000), piped.waitFor(/Ctrl-C stops/, 120_000)]);
    for (const { port } of [tty, pipe]) await hostRequest(port, "flow.marg.localhost", "/login");

    await onTerminal.waitFor(/request completed/);
    const line = onTerminal
      .output()
      .split(/\r?\n/)
      .find((entry) => entry.includes("request completed"));
    // [18:03:10.086] INFO: flow · request completed {"reqId":…}, with colours
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] /);
    expect(line).toContain(`${ESC}[32mINFO${ESC}[39m`);
    expect(line).toContain("flow · request completed");
    expect(onTerminal.output()).not.toMatch(/^\{"level"/m);

    await piped.waitFor(/request completed/);
    const json = piped
      .output()
      .split("\n")
      .find((entry) => entry.includes("request completed"));
    expect(JSON.parse(json ?? "")).toMatchObject({ level: 30, app: "flow", msg: "request completed" });
    expect(piped.output()).not.toContain(ESC);
  }, 180_000);
});
