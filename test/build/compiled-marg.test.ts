import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { createTempDir } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { buildCompiled, MARG_COMPILED_BIN } from "../support/compiled-build.js";
import { freePort } from "../support/free-port.js";
import { recordImports } from "../support/record-imports.js";
import { MARG_BIN, REPO_ROOT, type RunningProcess, startProcess } from "../support/spawn-process.js";
import { waitForPort } from "../support/wait-for-port.js";

// Production runs `npm run build`'s output through bin/marg-compiled.js: no TypeScript loader,
// every `@marg/*` import on dist/. This process's NODE_OPTIONS asks for the `development`
// condition (vitest's config), as a test runner's or a developer's shell might: the compiled
// launcher must still land on dist/, never on a .ts file.

const temp = createTempDir("compiled-marg");
const inRepo = (relative: string) => pathToFileURL(path.join(REPO_ROOT, relative)).href;

beforeAll(() => buildCompiled(), 180_000);
afterAll(() => temp.remove());

describe("marg on compiled code", () => {
  it("answers --help from dist/ with tsx nowhere in the module graph", async () => {
    expect(process.env.NODE_OPTIONS).toContain("--conditions=development");
    const { code, modules } = await recordImports(temp.path, MARG_COMPILED_BIN, ["--help"], {
      ...process.env,
      MARG_ROOT: temp.path,
    });
    expect(code).toBe(0);
    expect(modules.some((m) => m.url === inRepo("packages/cli/dist/program.js"))).toBe(true);
    expect(modules.filter((m) => m.url.includes("/node_modules/tsx/")).map((m) => m.url)).toEqual([]);
    expect(modules.filter((m) => m.url.endsWith(".ts")).map((m) => m.url)).toEqual([]);
  }, 60_000);

  it("leaves dist/ alone from bin/marg.js (npm start, npm test): a built checkout still runs its sources", async () => {
    // dist/ was just built (beforeAll); a developer's could be any age.
    const { code, modules } = await recordImports(temp.path, MARG_BIN, ["--help"], {
      ...process.env,
      MARG_ROOT: temp.path,
    });
    expect(code).toBe(0);
    expect(modules.some((m) => m.url === inRepo("packages/cli/src/program.ts"))).toBe(true);
    const workspaces = [inRepo("packages/"), inRepo("apps/")];
    const compiled = modules.filter(
      (m) => workspaces.some((folder) => m.url.startsWith(folder)) && m.url.includes("/dist/"),
    );
    expect(compiled).toEqual([]);
  }, 60_000);

  it("writes docs/configuration.md from the schema's descriptions, with no TypeScript source to read", async () => {
    mkdirSync(path.join(temp.path, "docs"), { recursive: true });
    const { code } = await recordImports(temp.path, MARG_COMPILED_BIN, ["config:doc"], {
      ...process.env,
      MARG_ROOT: temp.path,
    });
    expect(code).toBe(0);
    expect(readFileSync(path.join(temp.path, "docs/configuration.md"), "utf8")).toBe(
      readFileSync(path.join(REPO_ROOT, "docs/configuration.md"), "utf8"),
    );
  }, 60_000);

  describe("marg serve flow", () => {
    let server: RunningProcess | undefined;
    let port = 0;
    const env = { MARG_ROOT: temp.path };
    const page = () =>
      fetch(`http://127.0.0.1:${port}/login`, { headers: { host: "flow.marg.test" } }).then((r) => r.status);

    /** `marg <args>` on the compiled code, to completion, as `marg deploy`'s steps run it. */
    const margCompiled = (args: readonly string[]) =>
      new Promise<void>((resolve, reject) =>
        execFile(
          process.execPath,
          [MARG_COMPILED_BIN, ...args],
          { cwd: REPO_ROOT, env: { ...process.env, ...env }, timeout: 120_000 },
          (error, stdout, stderr) =>
            error ? reject(new Error(`${error.message}\n${stdout}${stderr}`)) : resolve(),
        ),
      );

    beforeAll(async () => {
      // A server's MARG_ROOT is usually the checkout itself, apps/<id>/src/*.ts included: the
      // compiled code must load each app's dist/, never a .ts file it cannot run.
      symlinkSync(path.join(REPO_ROOT, "apps"), path.join(temp.path, "apps"));
      writeFileSync(
        path.join(temp.path, ".env.shared"),
        [
          `APP_KEY=base64:${randomBytes(32).toString("base64")}`,
          "APP_ENV=testing",
          "MARG_APPS=flow",
          "MARG_DOMAIN=marg.test",
          "LOG_LEVEL=warn",
          "",
        ].join("\n"),
        { mode: 0o600 },
      );
      await margCompiled(["migrate"]);
      port = await freePort();
      server = startProcess(
        process.execPath,
        [MARG_COMPILED_BIN, "serve", "flow", "--port", String(port), "--host", "127.0.0.1"],
        { env },
      );
      await waitForPort(port, server, 60_000);
    }, 180_000);

    afterAll(async () => {
      await server?.stop();
    });

    it("answers 200 with its sign-in page", async () => {
      const response = await fetch(`http://127.0.0.1:${port}/login`, { headers: { host: "flow.marg.test" } });
      expect(response.status).toBe(200);
      expect(await response.text()).toContain("<form");
    });

    it("goes down and up with deploy's maintenance steps, run compiled", async () => {
      // The server reads the shared flag through a short cache: it answers the new state within seconds.
      const becomes = async (status: number) => {
        const deadline = Date.now() + 20_000;
        while ((await page()) !== status && Date.now() < deadline)
          await new Promise((r) => setTimeout(r, 100));
        expect(await page()).toBe(status);
      };
      await margCompiled(["down", "--message", "Deploying updates…", "--retry", "60"]);
      await becomes(503);
      await margCompiled(["up"]);
      await becomes(200);
    }, 60_000);

    it("runs without a TypeScript compiler beside it (tsx keeps an esbuild child)", () => {
      const pid = server?.child.pid;
      const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim();
      expect(children).toBe("");
      expect(readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")).toContain(MARG_COMPILED_BIN);
    });
  });
});
