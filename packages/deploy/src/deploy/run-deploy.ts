import { spawn } from "node:child_process";
import { MargError } from "@marg/core/errors";
import { formatArgv } from "./deploy-plan.js";
import type { DeployStep } from "./types.js";

export interface DeployRunResult {
  readonly ok: boolean;
  /** Steps that finished, in order. */
  readonly completed: readonly DeployStep[];
  readonly failed?: DeployStep;
  /** True when a failure came before the code changed and maintenance was lifted again. */
  readonly maintenanceLifted?: boolean;
}

function runStep(
  step: DeployStep,
  cwd: string,
  env: NodeJS.ProcessEnv,
  onLine: (line: string) => void,
): Promise<number | null> {
  return new Promise((resolve) => {
    const [command, ...args] = step.argv;
    const child = spawn(command ?? "true", args, { cwd, env, stdio: ["ignore", "pipe", "pipe"] });
    for (const stream of [child.stdout, child.stderr]) {
      let rest = "";
      stream.on("data", (chunk: Buffer) => {
        const lines = (rest + chunk.toString()).split("\n");
        rest = lines.pop() ?? "";
        for (const line of lines) onLine(line);
      });
      stream.on("end", () => {
        if (rest !== "") onLine(rest);
      });
    }
    child.once("error", (error) => {
      onLine(error.message);
      resolve(127);
    });
    child.once("close", (code) => resolve(code));
  });
}

/**
 * Runs a deploy plan, logging each step, its output and its time. The first
 * failure stops the run; if the code was not touched yet (maintenance-on or
 * fetch failed), maintenance is lifted again, since the old code still serves;
 * after the reset the server stays in maintenance for someone to fix.
 */
export async function runDeploy(
  steps: readonly DeployStep[],
  options: { cwd: string; env?: NodeJS.ProcessEnv; log: (line: string) => void },
): Promise<DeployRunResult> {
  const env = { ...process.env, ...options.env };
  const completed: DeployStep[] = [];
  for (const [index, step] of steps.entries()) {
    const started = Date.now();
    options.log(`[${index + 1}/${steps.length}] ${step.name}: ${formatArgv(step.argv)}`);
    const code = await runStep(step, options.cwd, env, (line) => options.log(`    ${line}`));
    if (code === 0) {
      options.log(
        `[${index + 1}/${steps.length}] ${step.name}: ok (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
      completed.push(step);
      continue;
    }
    options.log(`[${index + 1}/${steps.length}] ${step.name}: FAILED (exit ${code ?? "signal"})`);
    const wentDown = completed.some((done) => done.name === "maintenance-on");
    let maintenanceLifted = false;
    if (!step.changesCode && wentDown) {
      const up = steps.find((candidate) => candidate.name === "maintenance-off");
      if (up !== undefined) {
        options.log(`the old code is still in place: lifting maintenance (${formatArgv(up.argv)})`);
        maintenanceLifted = (await runStep(up, options.cwd, env, (line) => options.log(`    ${line}`))) === 0;
      }
    } else if (wentDown) {
      options.log(
        "the code changed: the server stays in maintenance; fix the cause and rerun marg deploy (or marg up)",
      );
    }
    return { ok: false, completed, failed: step, maintenanceLifted };
  }
  return { ok: true, completed };
}

/** The error a failed run becomes, for the CLI. */
export function deployFailed(result: DeployRunResult): MargError {
  const step = result.failed;
  const state = result.maintenanceLifted
    ? "Maintenance was lifted: the old code still serves."
    : step?.changesCode
      ? "The server is still in maintenance (the code changed): fix and rerun marg deploy, or run marg up."
      : "Nothing was changed.";
  return new MargError("E_DEPLOY_STEP_FAILED", `Deploy stopped at step "${step?.name}". ${state}`);
}
