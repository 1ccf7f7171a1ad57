// Starts every server of a run — MARG's flow and links processes, the Express
// peer and the bare ceiling — each on the server core, and signs each in as the
// bench user, so that scenarios B and C compare the same user and permission.
// MARG's processes run compiled JavaScript, as production does: links through
// bin/marg-compiled.js, flow's bench server compiled here beside the build's dist/
// (MARG_BENCH_FLOW=tsx runs it from source instead, for the comparison).
import { randomBytes } from "node:crypto";
import path from "node:path";
import { TEST_MYSQL, TEST_REDIS } from "@marg/core/testing";
import { build } from "esbuild";
import { MARG_COMPILED_BIN, withoutDevelopmentCondition } from "../../test/support/compiled-build.js";
import { FormBrowser } from "../../test/support/form-browser.js";
import { freePort } from "../../test/support/free-port.js";
import { REPO_ROOT } from "../../test/support/spawn-process.js";
import { cookieHeader, probe } from "../harness/http-probe.js";
import { type ServerProcess, startServer } from "../harness/server-process.js";
import type { WebServers } from "../scenarios/web.js";
import { BENCH_USER, type BenchInstallation, FLOW_HOST, LINKS_HOST } from "./bench-installation.js";

export const BENCH_USER_NAME = "Linus Member";
const LINK_SLUG = "launch";
const LINK_TARGET = "https://example.com/blog/launch";

/**
 * Extra node flags for the MARG flow process, to profile it under the bench's load:
 * `MARG_BENCH_FLOW_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- --only rate`.
 * (`--trace-gc` and `--cpu-prof` are refused in NODE_OPTIONS.)
 */
function flowNodeArgs(): string[] {
  return (process.env.MARG_BENCH_FLOW_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
}

const FLOW_SOURCE = "bench/targets/marg-flow-server.ts";
const FLOW_COMPILED = "bench/targets/dist/marg-flow-server.js";

/**
 * The flow server's command: its source compiled as `npm run build` compiles the packages
 * (esbuild, file for file), so its `@marg/*` imports load their dist/ as production's do.
 * Run `npm run build` first (bench/run.ts does).
 */
async function flowCommand(): Promise<string[]> {
  if (process.env.MARG_BENCH_FLOW === "tsx")
    return ["node", ...flowNodeArgs(), "--import", "tsx", FLOW_SOURCE];
  await build({
    entryPoints: [path.join(REPO_ROOT, FLOW_SOURCE)],
    outfile: path.join(REPO_ROOT, FLOW_COMPILED),
    bundle: false,
    platform: "node",
    format: "esm",
    target: "node20",
    tsconfig: path.join(REPO_ROOT, "tsconfig.json"),
    logLevel: "warning",
  });
  return ["node", ...flowNodeArgs(), FLOW_COMPILED];
}

/** The environment of a compiled MARG process: no `development` condition (npm run bench sets one). */
function compiledEnv(): Record<string, string> {
  return { NODE_OPTIONS: withoutDevelopmentCondition(process.env).NODE_OPTIONS ?? "" };
}

export async function startTargets(
  installation: BenchInstallation,
  prefix: readonly string[],
): Promise<WebServers> {
  const started: ServerProcess[] = [];
  const log = (name: string) => path.join(installation.logDir, `${name}.log`);
  const margEnv = { MARG_ROOT: installation.root };
  const peerEnv = {
    REDIS_HOST: TEST_REDIS.host,
    REDIS_PORT: String(TEST_REDIS.port),
    REDIS_PREFIX: installation.redisPrefix,
    MYSQL_HOST: TEST_MYSQL.host,
    MYSQL_PORT: String(TEST_MYSQL.port),
    MYSQL_USER: TEST_MYSQL.user,
    MYSQL_PASSWORD: TEST_MYSQL.password,
    MYSQL_DATABASE: installation.database,
    SESSION_SECRET: randomBytes(32).toString("base64url"),
    LINK_SLUG,
    LINK_TARGET,
  };
  const start = async (options: Parameters<typeof startServer>[0]) => {
    const server = await startServer(options);
    started.push(server);
    return server;
  };
  try {
    // One at a time: four cold starts at once on one core would each time out.
    const margFlow = await start({
      name: "MARG flow",
      command: await flowCommand(),
      prefix,
      port: await freePort(),
      env: process.env.MARG_BENCH_FLOW === "tsx" ? margEnv : { ...margEnv, ...compiledEnv() },
      logFile: log("marg-flow"),
      readyPath: "/health",
      readyHost: FLOW_HOST,
    });
    const linksPort = await freePort();
    const margLinks = await start({
      name: "MARG links",
      command: [
        "node",
        MARG_COMPILED_BIN,
        "serve",
        "links",
        "--port",
        String(linksPort),
        "--host",
        "127.0.0.1",
      ],
      prefix,
      port: linksPort,
      env: { ...margEnv, ...compiledEnv() },
      logFile: log("marg-links"),
      readyPath: "/health",
      readyHost: LINKS_HOST,
    });
    const express = await start({
      name: "Express peer",
      command: ["node", "--import", "tsx", "bench/peers/express/server.ts"],
      prefix,
      port: await freePort(),
      env: peerEnv,
      logFile: log("express"),
      readyPath: "/login",
    });
    const ceiling = await start({
      name: "node:http ceiling",
      command: ["node", "--import", "tsx", "bench/peers/bare/server.ts"],
      prefix,
      port: await freePort(),
      env: peerEnv,
      logFile: log("ceiling"),
      readyPath: "/login",
    });
    const browser = new FormBrowser({ host: FLOW_HOST, port: margFlow.port });
    const signedIn = await browser.submit("/login", "/login", {
      email: BENCH_USER.email,
      password: BENCH_USER.password,
    });
    if (signedIn.status !== 303)
      throw new Error(`could not sign in to MARG as ${BENCH_USER.email} (${signedIn.status})`);
    const peerSignIn = `/__bench/sign-in?user=${installation.benchUserId}&name=${encodeURIComponent(BENCH_USER_NAME)}`;
    const [expressSession, ceilingSession] = await Promise.all([
      probe(express.port, { host: FLOW_HOST, path: peerSignIn }),
      probe(ceiling.port, { host: FLOW_HOST, path: peerSignIn }),
    ]);
    return {
      margFlow,
      margLinks,
      express,
      ceiling,
      margCookie: [...browser.jar].map(([name, value]) => `${name}=${value}`).join("; "),
      expressCookie: cookieHeader(expressSession.setCookie),
      ceilingCookie: cookieHeader(ceilingSession.setCookie),
      linkSlug: LINK_SLUG,
    };
  } catch (error) {
    await Promise.all(started.map((server) => server.stop(2000)));
    throw error;
  }
}

export async function stopTargets(servers: WebServers): Promise<void> {
  await Promise.all(
    [servers.margFlow, servers.margLinks, servers.express, servers.ceiling].map((server) =>
      server.stop(10_000),
    ),
  );
}
