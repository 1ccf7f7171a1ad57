/**
 * Contract 2 ("sessions ended") across real processes: an installation whose app
 * `probe` (written into the temp MARG_ROOT) has an `onSessionsEnded` hook that
 * appends each event, with the command of the process that ran it, to a file.
 * People sign out over real HTTP on `marg serve flow` / `marg serve admin`, and the
 * hook runs in a separate `marg work` process, on the database queue and on Redis;
 * under QUEUE_CONNECTION=sync, `marg dev` runs it inside the web process. Reads
 * and writes only the temp root (and a Redis prefix of its own).
 */
import { execFile } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_PASSWORD } from "@marg/core/auth";
import { generateAppKey } from "@marg/core/config";
import { createScratchRedisPrefix, createTempDir, TEST_REDIS } from "@marg/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfTokenIn, FormBrowser, type Site } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import { firstLinkIn, readMailBox } from "../support/mail-box.js";
import { createMargInstallation, type MargInstallation } from "../support/marg-installation.js";
import { MARG_BIN, type RunningProcess, startProcess } from "../support/spawn-process.js";

interface RecordedEvent {
  readonly userId: number;
  readonly handles: string[] | null;
  readonly reason: string;
  /** The `marg` command of the process the hook ran in: work, serve, dev. */
  readonly command: string;
}

/** The probe app: no imports, so the temp root needs no node_modules. Fails once per `fail-next` file. */
function probeApp(root: string): string {
  const events = JSON.stringify(path.join(root, "ended.jsonl"));
  const failNext = JSON.stringify(path.join(root, "fail-next"));
  return `import { appendFileSync, existsSync, rmSync } from "node:fs";
export const app = {
  id: "probe",
  title: "Probe",
  onSessionsEnded: (platform) => async (event) => {
    appendFileSync(${events}, JSON.stringify({ ...event, command: process.argv[2] }) + "\\n");
    if (existsSync(${failNext})) {
      rmSync(${failNext});
      throw new Error("probe's back-channel is down");
    }
  },
};
`;
}

function writeProbe(root: string): void {
  mkdirSync(path.join(root, "apps", "probe", "src"), { recursive: true });
  writeFileSync(path.join(root, "apps", "probe", "src", "index.ts"), probeApp(root));
  // An ES module, as every app folder is (else tsx loads it as CommonJS).
  writeFileSync(
    path.join(root, "apps", "probe", "package.json"),
    JSON.stringify({ name: "@marg/probe", private: true, type: "module" }),
  );
}

function recorded(root: string): RecordedEvent[] {
  const file = path.join(root, "ended.jsonl");
  if (!existsSync(file)) return [];
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((line) => line !== "")
    .map((line) => JSON.parse(line) as RecordedEvent);
}

async function eventually<T>(what: string, check: () => T | undefined, ms = 60_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** `marg <args>` to completion in the installation `root`. */
function runMarg(root: string, args: readonly string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [MARG_BIN, ...args],
      { env: { ...process.env, MARG_ROOT: root, NO_COLOR: "1" }, timeout: 120_000 },
      (error, stdout, stderr) =>
        resolve({ code: error === null ? 0 : Number(error.code ?? 1), output: `${stdout}${stderr}` }),
    );
  });
}

/** Signs in with the form (the page's own CSRF token); returns the user's id, from the JSON answer. */
async function signIn(browser: FormBrowser, email: string): Promise<number> {
  const form = await browser.get("/login");
  const csrf = csrfTokenIn(form.body, "/login");
  if (csrf === undefined) throw new Error(`no sign-in form (status ${form.status})`);
  const response = await browser.post(
    "/login",
    { _csrf: csrf, email, password: DEMO_PASSWORD },
    { headers: { accept: "application/json" } },
  );
  if (response.status !== 200) throw new Error(`sign-in as ${email}: ${response.status} ${response.body}`);
  return (JSON.parse(response.body) as { user: { id: number } }).user.id;
}

/** This browser's session handle, as its account page names it (the "this device" row of "your devices"). */
async function currentHandle(browser: FormBrowser): Promise<string> {
  const page = await browser.get("/account");
  const row = page.body.split("<tr").find((cells) => cells.includes("this device"));
  const handle = row?.match(/\/account\/sessions\/([A-Za-z0-9_-]{22})\/end/)?.[1];
  if (handle === undefined) throw new Error(`no "this device" row on /account (status ${page.status})`);
  return handle;
}

/** The event of `reason` for `userId`, once the hook has recorded it. */
function eventFor(root: string, userId: number, reason: string) {
  return eventually(`${reason} of user ${userId}`, () =>
    recorded(root).find((event) => event.userId === userId && event.reason === reason),
  );
}

for (const driver of ["database", "redis"] as const) {
  describe(`session.ended from marg serve to onSessionsEnded in marg work (${driver} queue)`, () => {
    const installation: MargInstallation = createMargInstallation(`sessions-ended-${driver}`);
    const redis = driver === "redis" ? createScratchRedisPrefix("sessions_ended") : undefined;
    const running: RunningProcess[] = [];
    let flow: Site;
    let admin: Site;

    beforeAll(async () => {
      const [flowPort, adminPort] = [await freePort(), await freePort()];
      flow = { host: "flow.marg.localhost", port: flowPort };
      admin = { host: "admin.marg.localhost", port: adminPort };
      writeProbe(installation.root);
      installation.writeSharedEnv({
        APP_KEY: generateAppKey(),
        MARG_APPS: "flow,admin,probe",
        QUEUE_CONNECTION: driver,
        SESSION_DOMAIN: ".marg.localhost",
        MAIL_MAILER: "log",
        LOG_LEVEL: "info",
        ...(redis === undefined
          ? {}
          : {
              SESSION_DRIVER: "redis",
              REDIS_HOST: TEST_REDIS.host,
              REDIS_PORT: String(TEST_REDIS.port),
              REDIS_PREFIX: redis.prefix,
            }),
      });
      installation.writeAppEnv("flow", { APP_URL: `http://${flow.host}:${flowPort}` });
      installation.writeAppEnv("admin", { APP_URL: `http://${admin.host}:${adminPort}` });
      await installation.run(["migrate"]);
      await installation.run(["db:seed"]);
      running.push(await installation.serve("flow", flowPort));
      running.push(await installation.serve("admin", adminPort));
      const worker = startProcess("node", [MARG_BIN, "work", "--sleep", "0.1", "--no-scheduler"], {
        env: { MARG_ROOT: installation.root },
      });
      running.push(worker);
      await worker.waitFor(/worker started/, 90_000);
    }, 300_000);

    afterAll(async () => {
      await Promise.all(running.map((process) => process.stop(5_000)));
      await redis?.clear();
      installation.remove();
    });

    it("runs the app's hook in the worker with this session's handle when someone signs out", async () => {
      const ada = new FormBrowser(flow);
      const id = await signIn(ada, "ada@marg.localhost");
      const handle = await currentHandle(ada);
      const signOut = await ada.submit("/account", "/logout", {});
      expect(signOut.status).toBe(303);
      expect((await ada.get("/account")).location).toMatch(/^\/login/);
      const event = await eventFor(installation.root, id, "sign-out");
      expect(event).toEqual({ userId: id, handles: [handle], reason: "sign-out", command: "work" });
    }, 90_000);

    it("says every session (handles null) for sign out everywhere", async () => {
      const linus = new FormBrowser(flow);
      const id = await signIn(linus, "linus@marg.localhost");
      await signIn(new FormBrowser(flow), "linus@marg.localhost");
      expect((await linus.submit("/account", "/logout-everywhere", {})).status).toBe(303);
      const event = await eventFor(installation.root, id, "sign-out-everywhere");
      expect(event).toEqual({ userId: id, handles: null, reason: "sign-out-everywhere", command: "work" });
    }, 90_000);

    it("names the one device ended from the account page", async () => {
      const linus = new FormBrowser(flow);
      const id = await signIn(linus, "linus@marg.localhost");
      const handle = await currentHandle(linus);
      const ended = await linus.submit("/account", `/account/sessions/${handle}/end`, {});
      expect(ended.status).toBe(303);
      const event = await eventFor(installation.root, id, "ended-by-user");
      expect(event).toEqual({ userId: id, handles: [handle], reason: "ended-by-user", command: "work" });
    }, 90_000);

    it("names the session an admin ends from the user's page", async () => {
      const linus = new FormBrowser(flow);
      const id = await signIn(linus, "linus@marg.localhost");
      const handle = await currentHandle(linus);
      const grace = new FormBrowser(admin);
      await signIn(grace, "grace@marg.localhost");
      const ended = await grace.submit(`/users/${id}`, `/users/${id}/sessions/${handle}/end`, {});
      expect(ended.status).toBe(303);
      expect(await eventFor(installation.root, id, "ended-by-admin")).toEqual({
        userId: id,
        handles: [handle],
        reason: "ended-by-admin",
        command: "work",
      });
    }, 90_000);

    it("ends the previous person's session when someone signs in over it in the same browser", async () => {
      const shared = new FormBrowser(flow);
      const adaId = await signIn(shared, "ada@marg.localhost");
      const handle = await currentHandle(shared);
      const csrf = csrfTokenIn((await shared.get("/account")).body, "/logout") ?? "";
      const over = await shared.post("/login", {
        _csrf: csrf,
        email: "grace@marg.localhost",
        password: DEMO_PASSWORD,
      });
      expect(over.status).toBe(303);
      const event = await eventually("ada's replaced session", () =>
        recorded(installation.root).find((seen) => seen.userId === adaId && seen.handles?.[0] === handle),
      );
      expect(event).toEqual({ userId: adaId, handles: [handle], reason: "sign-out", command: "work" });
    }, 90_000);

    it("tells the hook when an admin disables a user, and when `marg user:disable` does", async () => {
      const linus = new FormBrowser(flow);
      const linusId = await signIn(linus, "linus@marg.localhost");
      const grace = new FormBrowser(admin);
      await signIn(grace, "grace@marg.localhost");
      const disabled = await grace.submit(`/users/${linusId}`, `/users/${linusId}/disable`, {});
      expect(disabled.status).toBe(303);
      expect((await linus.get("/account")).location).toMatch(/^\/login/);
      expect(await eventFor(installation.root, linusId, "user-disabled")).toEqual({
        userId: linusId,
        handles: null,
        reason: "user-disabled",
        command: "work",
      });

      const vera = new FormBrowser(flow);
      const veraId = await signIn(vera, "vera@marg.localhost");
      await installation.run(["user:disable", "vera@marg.localhost"]);
      expect(await eventFor(installation.root, veraId, "user-disabled")).toEqual({
        userId: veraId,
        handles: null,
        reason: "user-disabled",
        command: "work",
      });
    }, 120_000);

    it("retries the job when a hook fails, and the hook then gets the event again", async () => {
      writeFileSync(path.join(installation.root, "fail-next"), "");
      const grace = new FormBrowser(flow);
      const id = await signIn(grace, "grace@marg.localhost");
      const handle = await currentHandle(grace);
      await grace.submit("/account", "/logout", {});
      const calls = await eventually(
        "the retried call",
        () => {
          const mine = recorded(installation.root).filter(
            (event) => event.userId === id && event.handles?.[0] === handle,
          );
          return mine.length >= 2 ? mine : undefined;
        },
        60_000,
      );
      expect(calls.map((event) => event.reason)).toEqual(["sign-out", "sign-out"]);
      expect(existsSync(path.join(installation.root, "fail-next"))).toBe(false);
      const failed = JSON.parse(await installation.run(["queue:failed", "--json"])) as { failed: unknown[] };
      expect(failed.failed).toEqual([]);
    }, 90_000);

    it("says every session ended when a reset link sets a new password", async () => {
      const signedIn = new FormBrowser(flow);
      const id = await signIn(signedIn, "ada@marg.localhost");
      const mailDir = path.join(installation.root, "storage", "mail");
      const before = readMailBox(mailDir).length;
      await new FormBrowser(flow).submit("/forgot-password", "/forgot-password", {
        email: "ada@marg.localhost",
      });
      const mail = await eventually("the reset mail", () => readMailBox(mailDir).slice(before).at(0));
      const link = firstLinkIn(mail.text);
      if (link === undefined) throw new Error("the reset mail has no link");
      const resetter = new FormBrowser(flow);
      const landing = await resetter.get(`${link.pathname}${link.search}`);
      expect(landing.location).toBe("/reset-password");
      const form = await resetter.get("/reset-password");
      const token = /name="token" value="([^"]+)"/.exec(form.body)?.[1] ?? "";
      const reset = await resetter.post("/reset-password", {
        _csrf: csrfTokenIn(form.body, "/reset-password") ?? "",
        token,
        password: "a brand new passphrase for ada",
      });
      expect(reset.status).toBe(303);
      expect((await signedIn.get("/account")).location).toMatch(/^\/login/);
      expect(await eventFor(installation.root, id, "password-reset")).toEqual({
        userId: id,
        handles: null,
        reason: "password-reset",
        command: "work",
      });
    }, 90_000);
  });
}

// `npm start` is `marg dev`: on the database queue (its default) the hook runs in the worker it
// starts in the same process; under sync, inside the request (and inside `marg user:disable`).
for (const queue of ["sync", "database"] as const) {
  describe(`session.ended under marg dev (QUEUE_CONNECTION=${queue})`, () => {
    const root = createTempDir(`sessions-ended-dev-${queue}`);
    let server: RunningProcess;
    let flow: Site;
    /** Under sync the event is there when the sign-out answers; the database queue's worker takes it within a second. */
    const settled = <T>(what: string, check: () => T | undefined): Promise<T> =>
      queue === "sync"
        ? Promise.resolve(check()).then((value) => {
            if (value === undefined)
              throw new Error(`${what}: not recorded by the time the request answered`);
            return value;
          })
        : eventually(what, check, 30_000);

    beforeAll(async () => {
      const port = await freePort();
      flow = { host: "flow.marg.localhost", port };
      writeProbe(root.path);
      writeFileSync(
        path.join(root.path, ".env.shared"),
        [
          `APP_KEY=${generateAppKey()}`,
          "MARG_APPS=flow,probe",
          `QUEUE_CONNECTION=${queue}`,
          "SESSION_DOMAIN=.marg.localhost",
          "MAIL_MAILER=log",
          `PORT=${port}`,
          "LOG_LEVEL=warn",
          "",
        ].join("\n"),
        { mode: 0o600 },
      );
      server = startProcess("node", [MARG_BIN, "dev"], { env: { MARG_ROOT: root.path } });
      await server.waitFor(/MARG is running/, 120_000);
    }, 150_000);

    afterAll(async () => {
      await server?.stop();
      root.remove();
    });

    it("runs the hook in the marg dev process with this session's handle", async () => {
      const ada = new FormBrowser(flow);
      const id = await signIn(ada, "ada@marg.localhost");
      const handle = await currentHandle(ada);
      expect((await ada.submit("/account", "/logout", {})).status).toBe(303);
      const event = await settled("ada's sign-out", () =>
        recorded(root.path).find((seen) => seen.userId === id && seen.handles?.[0] === handle),
      );
      expect(event).toEqual({ userId: id, handles: [handle], reason: "sign-out", command: "dev" });
    }, 60_000);

    it("still signs out when the hook fails, and the hook gets the event again on the retry", async () => {
      writeFileSync(path.join(root.path, "fail-next"), "");
      const ada = new FormBrowser(flow);
      const id = await signIn(ada, "ada@marg.localhost");
      const handle = await currentHandle(ada);
      const signOut = await ada.submit("/account", "/logout", {});
      expect(signOut.status).toBe(303);
      expect(signOut.location).toBe("/login");
      expect((await ada.get("/account")).location).toMatch(/^\/login/);
      const calls = await eventually(
        "the failed call and its retry",
        () => {
          const mine = recorded(root.path).filter(
            (seen) => seen.userId === id && seen.handles?.[0] === handle,
          );
          return mine.length >= 2 ? mine : undefined;
        },
        30_000,
      );
      expect(calls.map((call) => call.reason)).toEqual(["sign-out", "sign-out"]);
    }, 60_000);

    it("tells the hook when `marg user:disable` disables someone", async () => {
      const vera = new FormBrowser(flow);
      const id = await signIn(vera, "vera@marg.localhost");
      const disabled = await runMarg(root.path, ["user:disable", "vera@marg.localhost"]);
      expect(disabled.code, disabled.output).toBe(0);
      expect(disabled.output).not.toContain("could not be queued");
      const event = await settled("vera's disable", () =>
        recorded(root.path).find((seen) => seen.userId === id && seen.reason === "user-disabled"),
      );
      // Under sync `marg user:disable` runs the hook itself; otherwise marg dev's worker does.
      expect(event).toEqual({
        userId: id,
        handles: null,
        reason: "user-disabled",
        command: queue === "sync" ? "user:disable" : "dev",
      });
    }, 90_000);
  });
}
