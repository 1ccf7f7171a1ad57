import { PROCESS_TARGETS } from "@marg/core/platform";
import { MARG_QUEUES, QUEUE_NAMES } from "@marg/core/queue";
import { describe, expect, it } from "vitest";
import { planDeploy } from "../deploy/deploy-plan.js";
import { renderExample } from "../testing/example-fleets.js";

describe("supervisor programs", () => {
  const phase2 = renderExample("phase2-four-servers");
  const worker = phase2.content("worker-1/etc/supervisor/conf.d/marg.conf");
  const http = phase2.content("http-1/etc/supervisor/conf.d/marg.conf");

  it("run workers on every queue the apps dispatch to, mail first, numprocs from the inventory", () => {
    expect(worker).toContain(
      "command=/usr/bin/node /srv/marg/packages/cli/bin/marg-compiled.js work --queue=mail,default,images,reports --sleep=3 --tries=3 --max-time=3600",
    );
    expect(MARG_QUEUES).toEqual([QUEUE_NAMES.mail, "default", QUEUE_NAMES.images, QUEUE_NAMES.reports]);
    expect(worker).toContain("numprocs=3");
    expect(worker).toContain("process_name=%(program_name)s_%(process_num)02d");
  });

  it("stop gracefully: SIGTERM, the seed's stopwaitsecs, the whole process group", () => {
    for (const line of ["stopsignal=TERM", "stopwaitsecs=3600", "stopasgroup=true", "killasgroup=true"]) {
      expect(worker).toContain(line);
    }
    expect(http).toContain("stopwaitsecs=40");
  });

  it("count a program started after the seed's 5 s (startsecs), or the inventory's install.startSeconds", () => {
    expect(`${http}${worker}`.match(/^startsecs=.*$/gm)?.every((line) => line === "startsecs=5")).toBe(true);
    expect(http).toMatch(/^startsecs=5$/m);
    const quick = renderExample("phase2-four-servers", (inventory) => {
      inventory.install.startSeconds = 1;
    });
    expect(quick.content("worker-1/etc/supervisor/conf.d/marg.conf")).toMatch(/^startsecs=1$/m);
    expect(quick.content("worker-1/etc/supervisor/conf.d/marg.conf")).not.toMatch(/^startsecs=5$/m);
  });

  it("run each app on its own port, as the unprivileged marg user", () => {
    expect(http).toContain('environment=NODE_ENV="production",MARG_ROOT="/srv/marg",PORT="8002"');
    expect(http).toContain("command=/usr/bin/node /srv/marg/packages/cli/bin/marg-compiled.js serve links");
    expect(`${http}${worker}`).not.toMatch(/^user=root/m);
    expect(http).toMatch(/^user=marg$/m);
  });

  it("serve a worker group's own queues when the inventory narrows it", () => {
    const rendered = renderExample("phase3-horizontal", (inventory) => {
      inventory.install.processManager = "supervisor";
      for (const server of inventory.servers) {
        if (server.name === "worker-1") server.workerQueues = ["mail"];
        if (server.name === "worker-2") server.workerQueues = ["default", "images", "reports"];
      }
    });
    expect(rendered.content("worker-1/etc/supervisor/conf.d/marg.conf")).toContain(
      " work --queue=mail --sleep",
    );
    expect(rendered.content("worker-2/etc/supervisor/conf.d/marg.conf")).toContain(
      " work --queue=default,images,reports --sleep",
    );
    expect(rendered.content("worker-3/etc/supervisor/conf.d/marg.conf")).toContain(
      " work --queue=mail,default,images,reports --sleep",
    );
  });

  it("are the programs marg deploy restarts: no [group:], so marg-flow and marg-worker:* name them", () => {
    expect(`${http}${worker}`).not.toContain("[group:");
    const plan = planDeploy({
      path: "/srv/marg",
      branch: "main",
      marg: ["marg"],
      apps: ["flow", "links", "admin"],
      maintenance: "fleet",
      processManager: "supervisor",
    });
    const restarted = plan
      .filter((step) => step.name === "reload-apps" || step.name === "restart-workers")
      .map((step) => step.argv.at(-1));
    expect(restarted).toEqual(["marg-flow", "marg-links", "marg-admin", PROCESS_TARGETS.supervisor.workers]);
    for (const name of ["marg-flow", "marg-links", "marg-admin"]) expect(http).toContain(`[program:${name}]`);
    // supervisorctl names a numprocs program's processes <program>:<program>_NN, so <program>:* is all of them.
    expect(PROCESS_TARGETS.supervisor.workers).toBe("marg-worker:*");
    expect(worker).toContain("[program:marg-worker]");
  });

  it("take a server's own workerProcesses over the fleet's", () => {
    const rendered = renderExample("phase2-four-servers", (inventory) => {
      const server = inventory.servers.find((candidate) => candidate.name === "worker-1");
      if (server) server.workerProcesses = 5;
    });
    expect(rendered.content("worker-1/etc/supervisor/conf.d/marg.conf")).toContain("numprocs=5");
  });
});

describe("systemd units", () => {
  const phase3 = renderExample("phase3-horizontal");

  it("stop apps with SIGTERM and a timeout, and always restart them", () => {
    const unit = phase3.content("http-1/etc/systemd/system/marg-flow.service");
    for (const line of [
      "KillSignal=SIGTERM",
      "TimeoutStopSec=40",
      "Restart=always",
      "User=marg",
      "Environment=PORT=8001",
    ]) {
      expect(unit).toContain(line);
    }
    expect(unit).toContain("ExecStart=/usr/bin/node /srv/marg/packages/cli/bin/marg-compiled.js serve flow");
  });

  it("run workers from one template, as many instances as the inventory says, on every queue", () => {
    const unit = phase3.content("worker-2/etc/systemd/system/marg-worker@.service");
    expect(unit).toContain(" work --queue=mail,default,images,reports ");
    expect(unit).toContain("TimeoutStopSec=3600");
    expect(phase3.content("worker-2/etc/systemd/system/marg.target")).toContain(
      "Wants=marg-worker@1.service marg-worker@2.service marg-worker@3.service",
    );
  });

  it("are rendered instead of supervisor programs, never both", () => {
    expect(phase3.files.some((file) => file.path.includes("supervisor"))).toBe(false);
    expect(renderExample("phase2-four-servers").files.some((file) => file.path.includes("systemd"))).toBe(
      false,
    );
  });
});
