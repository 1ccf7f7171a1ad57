// Part O's provider: the id app as production runs it (`marg serve id` from the
// compiled code, on the server core), behind the bench installation's https APP_URL
// for the id host (written by prepareBenchInstallation), signed-in on that host as
// the bench user, with the bench's client registered by `marg oidc:client create`.
import path from "node:path";
import { MARG_COMPILED_BIN, withoutDevelopmentCondition } from "../../test/support/compiled-build.js";
import { freePort } from "../../test/support/free-port.js";
import { type ServerProcess, startServer } from "../harness/server-process.js";
import { type CodeMint, prepareCodeMint, registerBenchClient } from "../scenarios/oidc-codes.js";
import { type BenchInstallation, ID_HOST } from "./bench-installation.js";

export interface IdTarget {
  readonly server: ServerProcess;
  readonly mint: CodeMint;
  readonly clientSecret: string;
}

/**
 * Extra node flags for the id process, to profile it under part O's load:
 * `MARG_BENCH_ID_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" npm run bench -- --only O`.
 */
function idNodeArgs(): string[] {
  return (process.env.MARG_BENCH_ID_NODE_ARGS ?? "").split(/\s+/).filter(Boolean);
}

export async function startIdTarget(
  installation: BenchInstallation,
  prefix: readonly string[],
): Promise<IdTarget> {
  const clientSecret = await registerBenchClient(installation.root);
  const port = await freePort();
  const server = await startServer({
    name: "MARG id",
    command: [
      "node",
      ...idNodeArgs(),
      MARG_COMPILED_BIN,
      "serve",
      "id",
      "--port",
      String(port),
      "--host",
      "127.0.0.1",
    ],
    prefix,
    port,
    env: {
      MARG_ROOT: installation.root,
      NODE_OPTIONS: withoutDevelopmentCondition(process.env).NODE_OPTIONS ?? "",
    },
    logFile: path.join(installation.logDir, "marg-id.log"),
    readyPath: "/.well-known/openid-configuration",
    readyHost: ID_HOST,
  });
  try {
    return { server, mint: await prepareCodeMint(port, ID_HOST), clientSecret };
  } catch (error) {
    await server.stop(2000);
    throw error;
  }
}
