import path from "node:path";
import { DEPLOY_STEPS, type DeployStepName } from "@marg/deploy/deploy-steps";
import type { Command } from "commander";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";

interface DeployCliOptions {
  path?: string;
  branch: string;
  remote: string;
  maintenance: string;
  processManager: string;
  skip?: string;
  supervisorSocket?: string;
  sudo: boolean;
  dryRun?: boolean;
  json?: boolean;
}

/** The steps run `marg` on the compiled code, as the rendered units do (the plan's `build` makes it). */
const MARG_BIN = path.resolve(import.meta.dirname, "../../bin/marg-compiled.js");

/** `marg deploy`: the seed's deploy.sh on this server, each step logged, stopping at the first failure. */
export function registerDeploy(program: Command, ctx: CliContext): void {
  program
    .command("deploy")
    .description(
      "Deploy this server: maintenance on, git fetch + reset to the branch, npm ci --omit=dev, " +
        "npm run build (the compiled code the programs run), migrate --force, warm the RBAC cache, " +
        "reload the apps, restart the workers, maintenance off",
    )
    .option("--path <dir>", "the checkout to deploy (default: MARG_ROOT)")
    .option("--branch <name>", "the branch to deploy", "main")
    .option("--remote <name>", "the git remote", "origin")
    .option(
      "--maintenance <mode>",
      "fleet (marg down/up, the shared flag) or none (inside deploy:rolling)",
      "fleet",
    )
    .option("--process-manager <name>", "supervisor, systemd or none (no reload/restart)", "supervisor")
    .option(
      "--supervisor-socket <path>",
      "supervisord's socket, as the inventory's install.supervisorSocket (default: supervisorctl's own)",
    )
    .option("--no-sudo", "run supervisorctl/systemctl directly (deploying as root)")
    .option("--skip <steps>", `steps to leave out, comma-separated: ${DEPLOY_STEPS.join(", ")}`)
    .option("--dry-run", "print the plan and run nothing")
    .option("--json", "print the plan or the result as JSON")
    .action(
      ctx.action(async (options: DeployCliOptions) => {
        const out = ctx.output(options.json === true);
        if (options.maintenance !== "fleet" && options.maintenance !== "none") {
          out.error(`--maintenance is fleet or none, not "${options.maintenance}".`);
          return EXIT.USAGE;
        }
        const manager = options.processManager;
        if (manager !== "supervisor" && manager !== "systemd" && manager !== "none") {
          out.error(`--process-manager is supervisor, systemd or none, not "${manager}".`);
          return EXIT.USAGE;
        }
        const skip = (options.skip ?? "").split(",").filter((name) => name !== "");
        const unknown = skip.filter((name) => !(DEPLOY_STEPS as readonly string[]).includes(name));
        if (unknown.length > 0) {
          out.error(`Unknown step(s) in --skip: ${unknown.join(", ")}. Steps: ${DEPLOY_STEPS.join(", ")}.`);
          return EXIT.USAGE;
        }
        const { deployFailed, formatArgv, listSupervisorPrograms, planDeploy, processControl, runDeploy } =
          await import("@marg/deploy");
        const cwd = path.resolve(ctx.root, options.path ?? ".");
        const control = {
          ...(options.supervisorSocket === undefined ? {} : { supervisorSocket: options.supervisorSocket }),
          ...(options.sudo ? {} : { sudo: [] }),
        };
        // Restart only what this server's supervisord runs (an http-only server has no workers).
        const supervisorPrograms =
          manager === "supervisor"
            ? await listSupervisorPrograms(processControl({ ...control, processManager: manager }))
            : undefined;
        const steps = planDeploy({
          path: cwd,
          branch: options.branch,
          remote: options.remote,
          marg: [process.execPath, MARG_BIN],
          apps: ctx.config().app.apps,
          maintenance: options.maintenance,
          processManager: manager,
          ...control,
          ...(supervisorPrograms === undefined ? {} : { supervisorPrograms }),
          overrides: Object.fromEntries(skip.map((name) => [name as DeployStepName, null])),
        });
        if (options.dryRun) {
          out.line(`Plan for ${cwd} (branch ${options.branch}), nothing run:`);
          for (const [index, step] of steps.entries()) {
            out.line(`  ${String(index + 1).padStart(2)}. ${step.name.padEnd(16)} ${formatArgv(step.argv)}`);
          }
          out.result({ dryRun: true, path: cwd, steps });
          return EXIT.OK;
        }
        const started = Date.now();
        const result = await runDeploy(steps, {
          cwd,
          env: { MARG_ROOT: cwd },
          log: (line) => out.note(line),
        });
        out.result(result);
        if (!result.ok) throw deployFailed(result);
        out.line(`Deploy complete in ${Math.round((Date.now() - started) / 1000)} s.`);
        return EXIT.OK;
      }),
    );
}
