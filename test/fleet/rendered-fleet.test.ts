/**
 * The fleet, for real: `marg infra:render` on a phase 3 inventory whose
 * servers are loopback addresses, and what it rendered run as rendered —
 * HAProxy, nginx on two http servers, supervisord running `marg serve` for
 * flow, links and admin on each plus `marg work` on http-1, Redis and the cache
 * Redis from their .conf files, the SQL's users and grants on this machine's
 * MariaDB. Journeys go through HAProxy over plain HTTP; mail leaves over SMTP
 * to a server this test runs.
 */
import { PROCESS_TARGETS } from "@marg/core";
import { createTempDir } from "@marg/core/testing";
import autocannon from "autocannon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormBrowser } from "../support/form-browser.js";
import { MARG_BIN } from "../support/spawn-process.js";
import {
  FLEET_APPS,
  FLEET_DOMAIN,
  type LoopbackInventory,
  writeLoopbackInventory,
} from "./support/loopback-inventory.js";
import { marg, type RenderedFleet, run, startRenderedFleet } from "./support/rendered-fleet.js";
import { type SmtpBox, startSmtpBox } from "./support/smtp-box.js";

const DEMO = { email: "ada@marg.localhost", password: "marg-demo-password" };
const temp = createTempDir("fleet");
let smtp: SmtpBox;
let inventory: LoopbackInventory;
let fleet: RenderedFleet;

const site = (app: string) => ({
  host: `${app}.${FLEET_DOMAIN}`,
  port: inventory.lb.port,
  address: inventory.lb.address,
});

beforeAll(async () => {
  smtp = await startSmtpBox();
  inventory = await writeLoopbackInventory(temp.path, { processManager: "supervisor", smtpPort: smtp.port });
  fleet = await startRenderedFleet(temp.path, inventory);
}, 360_000);

afterAll(async () => {
  await fleet?.stop();
  await smtp?.close();
  const sql = [
    ...(inventory?.databases ?? []).map((name) => `DROP DATABASE IF EXISTS \`${name}\`;`),
    ...(inventory === undefined
      ? []
      : [
          `DROP USER IF EXISTS '${inventory.users.app}'@'127.0.0.1';`,
          `DROP USER IF EXISTS '${inventory.users.backup}'@'localhost';`,
        ]),
  ].join("\n");
  await run("mariadb", ["--protocol=tcp", "-h", "127.0.0.1", "-u", "root"], { input: sql });
  temp.remove();
}, 120_000);

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
    const ps = await run("ps", ["-eo", "args"]);
    expect(ps.output).toContain(" work --queue=mail,default,images,reports ");
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
    const browser = new FormBrowser(site("flow"));
    const asked = await browser.submit("/forgot-password", "/forgot-password", { email: DEMO.email });
    expect(asked.status).toBeLessThan(400);
    const mail = await smtp.waitFor((candidate) => candidate.to.includes(DEMO.email), 60_000);
    expect(mail.from).toBe(`noreply@${FLEET_DOMAIN}`);
    expect(mail.text).toMatch(new RegExp(`http://flow\\.${FLEET_DOMAIN.replace(".", "\\.")}/reset-password`));
  });
});

describe("deploying the running fleet", () => {
  it("marg deploy:rolling runs marg deploy on each server under load: 0 failed requests, every program restarted by its real name", async () => {
    const before = new Map([
      ["http-1", await fleet.pids("http-1")],
      ["http-2", await fleet.pids("http-2")],
    ]);
    const programs = [
      ...FLEET_APPS.map((app) => PROCESS_TARGETS.supervisor.app(app)),
      "marg-worker:marg-worker_00",
    ];
    for (const [server, pids] of before)
      for (const name of programs) expect(pids.has(name), `${server} ${name}`).toBe(true);
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
        requests: FLEET_APPS.map((app) => ({
          method: "GET",
          path: "/health",
          headers: { host: `${app}.${FLEET_DOMAIN}` },
        })),
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
      "--health-host",
      `flow.${FLEET_DOMAIN}`,
      "--drain-timeout",
      "60",
      "--health-timeout",
      "120",
    ]);
    load.stop();
    const result = await done;
    const failed = result.errors + result.timeouts + result.non2xx;
    console.log(
      `fleet deploy:rolling + marg deploy under load: ${result.requests.total} requests, ${result["2xx"]} served (2xx), ${failed} failed (errors ${result.errors}, timeouts ${result.timeouts}, non-2xx ${result.non2xx})`,
    );
    expect(rolled.code, `${rolled.output}\n${fleet.logs()}`).toBe(0);
    expect(rolled.output).toContain("[2/2] http-2: ready and UP in HAProxy");
    expect(rolled.output).toContain("supervisorctl -s unix://");
    expect(failed).toBe(0);
    expect(result["2xx"]).toBeGreaterThan(100);
    for (const [server, pids] of before) {
      const after = await fleet.pids(server);
      for (const name of programs) {
        expect(after.get(name), `${server} ${name} running again`).toBeGreaterThan(0);
        expect(after.get(name), `${server} ${name} restarted`).not.toBe(pids.get(name));
      }
    }
  }, 400_000);
});
