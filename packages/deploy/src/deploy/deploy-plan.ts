import { PROCESS_TARGETS } from "@marg/core/platform";
import { DEPLOY_STEPS, type DeployOptions, type DeployStep, type DeployStepName } from "./types.js";

/** `[sudo -n] supervisorctl [-s unix://socket]` or `[sudo -n] systemctl`: what every process command starts with. */
export function processControl(
  options: Pick<DeployOptions, "sudo" | "supervisorSocket"> & { processManager: "supervisor" | "systemd" },
): string[] {
  const sudo = [...(options.sudo ?? ["sudo", "-n"])];
  return options.processManager === "supervisor"
    ? [
        ...sudo,
        "supervisorctl",
        ...(options.supervisorSocket === undefined ? [] : ["-s", `unix://${options.supervisorSocket}`]),
      ]
    : [...sudo, "systemctl"];
}

/** Whether supervisord knows `target` (a program name, or `group:*` for any program of the group). */
export function supervisorHas(programs: readonly string[], target: string): boolean {
  return target.endsWith(":*")
    ? programs.some((name) => name.startsWith(target.slice(0, -1)))
    : programs.includes(target);
}

function processCommands(options: DeployOptions): { apps: string[][]; workers: string[][] } | undefined {
  const manager = options.processManager;
  if (manager === "none") return undefined;
  // The names the renderers gave the programs and units (core's PROCESS_TARGETS).
  const targets = PROCESS_TARGETS[manager];
  const control = processControl({ ...options, processManager: manager });
  // Only what this server runs: an http-only server has no marg-worker:*, and restarting it would fail.
  const known = manager === "supervisor" ? options.supervisorPrograms : undefined;
  const exists = (target: string) => known === undefined || supervisorHas(known, target);
  // One program at a time: each drains its in-flight requests (SIGTERM, stopwaitsecs) before it restarts.
  return {
    apps: options.apps
      .map((app) => targets.app(app))
      .filter(exists)
      .map((target) => [...control, "restart", target]),
    workers: exists(targets.workers) ? [[...control, "restart", targets.workers]] : [],
  };
}

/**
 * The plan of `marg deploy` for one server, step by step: the seed's
 * deploy.sh in MARG's terms. `reload-apps` may hold several commands (one per
 * app), joined by the runner in order.
 */
export function planDeploy(options: DeployOptions): DeployStep[] {
  const remote = options.remote ?? "origin";
  const marg = [...options.marg];
  const processes = processCommands(options);
  const defaults: Record<DeployStepName, string[][]> = {
    "maintenance-on":
      options.maintenance === "fleet"
        ? [[...marg, "down", "--message", "Deploying updates…", "--retry", "60"]]
        : [],
    fetch: [["git", "fetch", "--prune", remote, options.branch]],
    reset: [["git", "reset", "--hard", `${remote}/${options.branch}`]],
    // No development dependencies on a server (no tsx): the build's one tool, esbuild, is a
    // dependency of the root package, so `--omit=dev` still installs it.
    install: [["npm", "ci", "--omit=dev", "--no-audit", "--no-fund"]],
    // packages/*/dist from the code just reset to: the processes restarted below run it.
    build: [["npm", "run", "build"]],
    migrate: [[...marg, "migrate", "--force"]],
    // Permission sets are loaded fresh: a deploy that changes roles must not serve old ones for an hour.
    caches: [[...marg, "rbac:warm"]],
    "reload-apps": processes?.apps ?? [],
    "restart-workers": processes?.workers ?? [],
    "maintenance-off": options.maintenance === "fleet" ? [[...marg, "up"]] : [],
  };
  const steps: DeployStep[] = [];
  let changesCode = false;
  for (const name of DEPLOY_STEPS) {
    if (name === "reset") changesCode = true;
    const override = options.overrides?.[name];
    const commands =
      override === null ? [] : override !== undefined ? [[...override]] : (defaults[name] ?? []);
    for (const argv of commands) steps.push({ name, argv, changesCode });
  }
  return steps;
}

/** A command as a person would type it (for the plan and the log); values with spaces are quoted. */
export function formatArgv(argv: readonly string[]): string {
  return argv
    .map((part) => (/^[\w@%+=:,./*-]+$/.test(part) ? part : `'${part.replaceAll("'", "'\\''")}'`))
    .join(" ");
}
