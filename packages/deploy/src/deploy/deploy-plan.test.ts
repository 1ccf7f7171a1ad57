import { PROCESS_TARGETS } from "@marg/core/platform";
import { describe, expect, it } from "vitest";
import { planDeploy } from "./deploy-plan.js";
import { parseSupervisorAvail } from "./supervisor-programs.js";
import type { DeployOptions } from "./types.js";

const options: DeployOptions = {
  path: "/srv/marg",
  branch: "main",
  marg: ["marg"],
  apps: ["flow", "links", "admin"],
  maintenance: "none",
  processManager: "supervisor",
};

const restarted = (plan: ReturnType<typeof planDeploy>) =>
  plan
    .filter((step) => step.name === "reload-apps" || step.name === "restart-workers")
    .map((step) => `${step.name} ${step.argv.at(-1)}`);

// What `supervisorctl avail` prints on an http-only server and on a worker server.
const HTTP_ONLY = [
  "marg-admin                       in use    auto      999:999",
  "marg-flow                        in use    auto      999:999",
  "marg-links                       in use    auto      999:999",
].join("\n");
const WORKER_ONLY = [
  "marg-worker:marg-worker_00       in use    auto      999:999",
  "marg-worker:marg-worker_01       avail     auto      999:999",
].join("\n");

describe("marg deploy's restarts on a supervisor server", () => {
  it("read the program names from supervisorctl avail", () => {
    expect(parseSupervisorAvail(HTTP_ONLY)).toEqual(["marg-admin", "marg-flow", "marg-links"]);
    expect(parseSupervisorAvail(WORKER_ONLY)).toEqual([
      "marg-worker:marg-worker_00",
      "marg-worker:marg-worker_01",
    ]);
  });

  it("leave out restart-workers on a server without marg-worker programs", () => {
    const plan = planDeploy({ ...options, supervisorPrograms: parseSupervisorAvail(HTTP_ONLY) });
    expect(restarted(plan)).toEqual([
      "reload-apps marg-flow",
      "reload-apps marg-links",
      "reload-apps marg-admin",
    ]);
  });

  it("restart only the workers on a worker-only server", () => {
    const plan = planDeploy({ ...options, supervisorPrograms: parseSupervisorAvail(WORKER_ONLY) });
    expect(restarted(plan)).toEqual([`restart-workers ${PROCESS_TARGETS.supervisor.workers}`]);
  });

  it("restart every name when supervisord could not be asked", () => {
    expect(restarted(planDeploy(options))).toHaveLength(4);
  });
});
