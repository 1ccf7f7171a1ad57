import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

interface RollingOptions {
  lbSocket: string;
  backend: string;
  servers: string;
  command: string;
  healthUrl?: string;
  healthHost?: string;
  drainTimeout: string;
  healthTimeout: string;
  commandTimeout: string;
  json?: boolean;
}

function seconds(value: string, name: string): number {
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0)
    throw new Error(`${name} must be a number of seconds > 0, not "${value}".`);
  return parsed * 1000;
}

/** `marg deploy:rolling`: one server at a time out of HAProxy, deployed, checked, put back. */
export function registerDeployRolling(program: Command, ctx: CliContext): void {
  program
    .command("deploy:rolling")
    .description(
      "Deploy behind HAProxy without downtime: for each server, drain it (runtime API), wait for 0 sessions, run " +
        "--command, wait for /health 200, set it ready; stops at the first failure, leaving the rest untouched",
    )
    .requiredOption(
      "--lb-socket <path>",
      "HAProxy's stats socket (level admin), e.g. /run/haproxy/admin.sock",
    )
    .requiredOption(
      "--backend <names>",
      "the HAProxy backend(s) a server is drained from, comma-separated: every app it serves, e.g. app_flow,app_links,app_admin",
    )
    .requiredOption("--servers <names>", "the backend's servers in deploy order, comma-separated")
    .requiredOption(
      "--command <shell>",
      'run per server; {server}, {host}, {port} are replaced (e.g. "ssh {host} marg deploy")',
    )
    .option("--health-url <template>", "checked after the command (default http://{host}:{port}/health)")
    .option(
      "--health-host <names>",
      "Host header of that check, e.g. flow.marg.test (the rendered nginx drops requests for unknown hosts); " +
        "comma-separated to check every app the command restarted, each must answer 200",
    )
    .option("--drain-timeout <seconds>", "longest wait for a drained server's sessions to reach 0", "60")
    .option("--health-timeout <seconds>", "longest wait for /health 200 and HAProxy UP", "60")
    .option("--command-timeout <seconds>", "longest run of --command for one server", "600")
    .option("--json", "print the result as JSON")
    .action(
      ctx.action(async (options: RollingOptions) => {
        const out = ctx.output(options.json === true);
        const servers = options.servers
          .split(",")
          .map((name) => name.trim())
          .filter((name) => name !== "");
        if (servers.length === 0) {
          out.error("--servers names no server: pass them comma-separated, e.g. --servers app1,app2,app3.");
          return EXIT.USAGE;
        }
        const { HaproxyRuntime, rollingDeploy } = await import("@marg/deploy");
        const started = Date.now();
        try {
          const result = await rollingDeploy({
            runtime: new HaproxyRuntime(options.lbSocket),
            backend: options.backend
              .split(",")
              .map((name) => name.trim())
              .filter((name) => name !== ""),
            servers,
            command: options.command,
            ...(options.healthUrl === undefined ? {} : { healthUrl: options.healthUrl }),
            ...(options.healthHost === undefined
              ? {}
              : {
                  healthHost: options.healthHost
                    .split(",")
                    .map((name) => name.trim())
                    .filter((name) => name !== ""),
                }),
            drainTimeoutMs: seconds(options.drainTimeout, "--drain-timeout"),
            healthTimeoutMs: seconds(options.healthTimeout, "--health-timeout"),
            commandTimeoutMs: seconds(options.commandTimeout, "--command-timeout"),
            log: (line) => out.note(line),
          });
          out.line(
            `Deployed ${result.deployed.join(", ")} in ${Math.round((Date.now() - started) / 1000)} s.`,
          );
          out.result({ deployed: result.deployed, ok: true });
          return EXIT.OK;
        } catch (error) {
          out.error(error instanceof Error ? error.message : String(error));
          out.result({ ok: false, error: error instanceof Error ? error.message : String(error) });
          return EXIT.FAILURE;
        }
      }),
    );
}
