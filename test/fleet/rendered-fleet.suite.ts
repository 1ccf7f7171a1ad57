/**
 * The fleet, for real: `marg infra:render` on a phase 3 inventory whose
 * servers are loopback addresses, and what it rendered run as rendered —
 * HAProxy, nginx on two http servers, supervisord running `marg serve` for
 * flow, links and admin on each plus `marg work` on http-1, Redis and the cache
 * Redis from their .conf files, the SQL's users and grants on this machine's
 * MariaDB. Journeys go through HAProxy over plain HTTP; mail leaves over SMTP
 * to a server this test runs.
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PROCESS_TARGETS } from "@marg/core/platform";
import { createTempDir } from "@marg/core/testing";
import { waitFor } from "@marg/deploy/testing";
import autocannon from "autocannon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { stringify } from "yaml";
import { MARG_COMPILED_BIN } from "../support/compiled-build.js";
import { FormBrowser } from "../support/form-browser.js";
import { MARG_BIN, startProcess } from "../support/spawn-process.js";
import { FLEET_APPS, FLEET_DOMAIN } from "./support/loopback-inventory.js";
import { marg, operatorEnv, run } from "./support/rendered-fleet.js";
import { sharedFleet } from "./support/shared-fleet.js";

const DEMO = { email: "ada@marg.localhost", password: "marg-demo-password" };
// Scratch files of this file's own (the systemd render); the fleet is the shared one.
const temp = createTempDir("fleet");
const { inventory, fleet, smtp } = sharedFleet();

const site = (app: string) => ({
  host: `${app}.${FLEET_DOMAIN}`,
  port: inventory.lb.port,
  address: inventory.lb.address,
});

afterAll(() => temp.remove());

describe("a rendered phase 3 fleet on loopback", () => {
  it("answers /health 200 for every app through HAProxy", async () => {
    for (const app of FLEET_APPS) {
      const response = await new FormBrowser(site(app)).get("/health");
      expect(response.status, `${app}: ${response.body}`).toBe(200);
    }
  });

  it("runs every rendered program under supervisord, workers serving every queue", async () => {
    const status = await fleet.supervisorctl("http-1", ["status"]);
    for (const name of [
      "marg-flow",
      "marg-links",
      "marg-admin",
      "marg-worker:marg-worker_00",
      "marg-worker:marg-worker_01",
    ])
      expect(status.output).toMatch(new RegExp(`^${name}\\s+RUNNING`, "m"));
    // The name marg deploy restarts and marg doctor's hint gives (core's PROCESS_TARGETS) is a real one.
    const workers = await fleet.supervisorctl("http-1", ["status", PROCESS_TARGETS.supervisor.workers]);
    expect(workers.code, workers.output).toBe(0);
    expect(workers.output.match(/RUNNING/g)).toHaveLength(2);
    const ps = await run("ps", ["-eo", "args"]);
    expect(ps.output).toContain(" work --queue=mail,default,images,reports ");
    // http-2 serves the apps only: no worker program there.
    const http2 = await fleet.supervisorctl("http-2", ["status"]);
    for (const app of FLEET_APPS) expect(http2.output).toMatch(new RegExp(`^marg-${app}\\s+RUNNING`, "m"));
    expect(http2.output).not.toContain("marg-worker");
  });

  it("runs the compiled code in every program: marg-compiled.js, no TypeScript compiler beside it", async () => {
    for (const server of ["http-1", "http-2"]) {
      for (const [name, pid] of await fleet.pids(server)) {
        const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
        expect(argv[1], name).toBe(MARG_COMPILED_BIN);
        // tsx keeps an esbuild child to compile with; a compiled program has none.
        const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").split(" ").filter(Boolean);
        const commands = children.map((child) => readFileSync(`/proc/${child}/cmdline`, "utf8"));
        expect(
          commands.filter((command) => command.includes("esbuild")),
          name,
        ).toEqual([]);
      }
    }
  });

  it("signs in on flow with the seeded demo user, and is signed in on links and admin", async () => {
    const browser = new FormBrowser(site("flow"));
    const signedIn = await browser.submit("/login", "/login", DEMO);
    expect(signedIn.status, signedIn.body.slice(0, 500)).toBe(303);
    for (const app of ["links", "admin"]) {
      const there = browser.at(site(app));
      const first = await there.get("/");
      // An app's home may send a signed-in visitor on to its main page (links: /links); never to /login.
      expect(first.location ?? "", app).not.toContain("/login");
      const page = first.status === 303 ? await there.get(first.location ?? "/") : first;
      expect(page.status, `${app}: ${page.location}`).toBe(200);
      expect(page.body).toContain("Ada Lovelace");
    }
  });

  it("sends the forgot-password mail over SMTP from a supervisord-run worker", async () => {
    // The fleet is shared: a journey may have mailed Ada already; this mail is one that came after.
    const earlier = new Set(smtp.received.map((candidate) => candidate.raw));
    const browser = new FormBrowser(site("flow"));
    const asked = await browser.submit("/forgot-password", "/forgot-password", { email: DEMO.email });
    expect(asked.status).toBeLessThan(400);
    const mail = await smtp.waitFor(
      (candidate) => candidate.to.includes(DEMO.email) && !earlier.has(candidate.raw),
      60_000,
    );
    expect(mail.from).toBe(`noreply@${FLEET_DOMAIN}`);
    expect(mail.text).toMatch(new RegExp(`http://flow\\.${FLEET_DOMAIN.replace(".", "\\.")}/reset-password`));
  });
});

describe("the systemd flavour of the same inventory", () => {
  let units: string;

  beforeAll(async () => {
    const file = inventory.file.replace(/\.yml$/, "-systemd.yml");
    writeFileSync(
      file,
      stringify({
        ...inventory.data,
        install: { ...(inventory.data.install as object), processManager: "systemd" },
      }),
    );
    const out = path.join(temp.path, "out-systemd");
    const rendered = await marg(temp.path, [
      "infra:render",
      "--inventory",
      file,
      "--out",
      out,
      "--secrets",
      path.join(fleet.out, "secrets.env"),
    ]);
    expect(rendered.code, rendered.output).toBe(0);
    units = path.join(out, "http-1/etc/systemd/system");
  }, 120_000);

  it("passes systemd-analyze verify, every unit of an app-and-worker server", async () => {
    const files = readdirSync(units);
    expect(files.sort()).toEqual([
      "marg-admin.service",
      "marg-flow.service",
      "marg-links.service",
      "marg-worker@.service",
      "marg.target",
    ]);
    const verified = await run("systemd-analyze", ["verify", ...files.map((name) => `./${name}`)], {
      cwd: units,
    });
    expect(verified.code, verified.output).toBe(0);
    expect(verified.output).toBe("");
  });

  it("serves flow from marg-flow.service's ExecStart and Environment, through nginx and HAProxy", async () => {
    const unit = readFileSync(path.join(units, "marg-flow.service"), "utf8");
    const environment = Object.fromEntries(
      [...unit.matchAll(/^Environment=([A-Z_]+)=(.*)$/gm)].map((match) => [match[1], match[2]]),
    );
    const [command = "", ...args] = (/^ExecStart=(.*)$/m.exec(unit)?.[1] ?? "").split(" ");
    const cwd = /^WorkingDirectory=(.*)$/m.exec(unit)?.[1] ?? "";
    expect(environment).toMatchObject({ MARG_ROOT: inventory.installRoot, HOST: inventory.http[0]?.address });
    // The supervisord program gives way, so the only flow on http-1 is the unit's.
    expect((await fleet.supervisorctl("http-1", ["stop", "marg-flow"])).code).toBe(0);
    const service = startProcess(command, args, { cwd, env: { ...operatorEnv(cwd), ...environment } });
    try {
      // The unit's process answers on its HOST:PORT (HAProxy may still call the stopped one UP for a few checks)…
      await waitFor(
        "marg-flow.service's process to answer /health",
        async () => (await fetch(`http://${environment.HOST}:${environment.PORT}/health`)).status === 200,
        120_000,
      );
      // …and through nginx and HAProxy, with the supervisord program stopped.
      await waitFor(
        "HAProxy to see http-1's flow UP",
        async () => (await fleet.runtime.stat("app_flow", "http-1")).status === "UP",
        120_000,
      );
      const health = await new FormBrowser(site("flow")).get("/health");
      expect(health.status).toBe(200);
      expect(service.child.exitCode, service.output()).toBeNull();
      // KillSignal=SIGTERM, KillMode=mixed: SIGTERM to the main process only; it drains and exits 0.
      const exited = new Promise((resolve) => service.child.once("exit", (code) => resolve(code)));
      service.child.kill("SIGTERM");
      expect(await exited, service.output()).toBe(0);
    } finally {
      await service.stop(5_000);
      await fleet.supervisorctl("http-1", ["start", "marg-flow"]);
      // The next test starts from a settled fleet.
      await waitFor(
        "http-1's supervisord flow UP in HAProxy",
        async () => (await fleet.runtime.stat("app_flow", "http-1")).status === "UP",
        120_000,
      );
    }
  }, 200_000);
});

describe("deploying the running fleet", () => {
  it("marg deploy:rolling runs marg deploy on each server under load: 0 failed requests, every program restarted by its real name", async () => {
    const before = new Map([
      ["http-1", await fleet.pids("http-1")],
      ["http-2", await fleet.pids("http-2")],
    ]);
    const apps = FLEET_APPS.map((app) => PROCESS_TARGETS.supervisor.app(app));
    // The workers by their real names: http-1 runs two, http-2 none (marg deploy must not restart what is not there).
    const workers = ["marg-worker:marg-worker_00", "marg-worker:marg-worker_01"];
    const programs = new Map([
      ["http-1", [...apps, ...workers]],
      ["http-2", apps],
    ]);
    for (const [server, pids] of before) {
      expect([...pids.keys()].sort(), server).toEqual([...(programs.get(server) ?? [])].sort());
    }
    const socket = (inventory.data.install as { supervisorSocket: string }).supervisorSocket;
    // What an operator runs on each server; {server} is filled in by deploy:rolling (the socket path holds it too).
    const deploy = [
      process.execPath,
      MARG_BIN,
      "deploy",
      "--maintenance none",
      "--process-manager supervisor",
      `--supervisor-socket ${socket}`,
      "--no-sudo",
      // The code is this checkout, not a clone to fetch into: the steps that run are the seams.
      "--skip fetch,reset,install,build",
    ].join(" ");
    let finished: (result: autocannon.Result) => void = () => {};
    const done = new Promise<autocannon.Result>((resolve) => {
      finished = resolve;
    });
    const load = autocannon(
      {
        url: `http://${inventory.lb.address}:${inventory.lb.port}`,
        connections: 4,
        overallRate: 120,
        duration: 600,
        // Each app's liveness (the whole path HAProxy → nginx → the process) and flow's sign-in page (sessions in Redis).
        // Not /health: it answers 503 by design when a dependency check is slow, which on two shared cores is load, not the deploy.
        requests: [
          ...FLEET_APPS.map((app) => ({
            method: "GET" as const,
            path: "/health/live",
            headers: { host: `${app}.${FLEET_DOMAIN}` },
          })),
          { method: "GET" as const, path: "/login", headers: { host: `flow.${FLEET_DOMAIN}` } },
        ],
      },
      (error, result) => (error ? finished({ errors: 1 } as autocannon.Result) : finished(result)),
    );
    const rolled = await marg(inventory.installRoot, [
      "deploy:rolling",
      "--lb-socket",
      inventory.lb.socket,
      "--backend",
      FLEET_APPS.map((app) => `app_${app}`).join(","),
      "--servers",
      "http-1,http-2",
      "--command",
      deploy,
      // Every app the deploy restarted answers before the server takes traffic again.
      "--health-host",
      FLEET_APPS.map((app) => `${app}.${FLEET_DOMAIN}`).join(","),
      "--drain-timeout",
      "60",
      "--health-timeout",
      "120",
    ]);
    load.stop();
    const result = await done;
    const failed = result.errors + result.timeouts + result.non2xx;
    const statuses = JSON.stringify((result as { statusCodeStats?: unknown }).statusCodeStats ?? {});
    // Where any 5xx came from: HAProxy's per-server response counters (hrsp_5xx), for the failure message.
    const stat = (await fleet.runtime.send("show stat")).split("\n");
    const columns = (stat[0] ?? "").replace(/^# /, "").split(",");
    const fivexx = stat
      .slice(1)
      .map((line) => line.split(","))
      .filter((row) => row[0]?.startsWith("app_"))
      .map((row) => `${row[0]}/${row[1]}:${row[columns.indexOf("hrsp_5xx")]}`)
      .join(" ");
    console.log(
      `fleet deploy:rolling + marg deploy under load: ${result.requests.total} requests, ${result["2xx"]} served (2xx), ${failed} failed (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx}); statuses ${statuses}; 5xx by server ${fivexx}`,
    );
    expect(rolled.code, `${rolled.output}\n${fleet.logs()}`).toBe(0);
    expect(rolled.output).toContain("[2/2] http-2: ready and UP in HAProxy");
    expect(rolled.output).toContain("supervisorctl -s unix://");
    expect(failed, `${statuses}\n${rolled.output}`).toBe(0);
    expect(result["2xx"]).toBeGreaterThan(100);
    // restart-workers ran on http-1 only, and on no server failed.
    expect(rolled.output.match(/restart-workers: ok/g), rolled.output).toHaveLength(1);
    expect(rolled.output).toContain(`restart ${PROCESS_TARGETS.supervisor.workers}`);
    expect(rolled.output).not.toContain("FAILED");
    for (const [server, pids] of before) {
      const after = await fleet.pids(server);
      for (const name of programs.get(server) ?? []) {
        expect(after.get(name), `${server} ${name} running again`).toBeGreaterThan(0);
        expect(after.get(name), `${server} ${name} restarted`).not.toBe(pids.get(name));
      }
    }
  }, 400_000);
});
