/**
 * Who can get an account, attacked over HTTP: real `marg serve` processes (flow and
 * admin) and a real `marg work` of one temp installation (SQLite, database queue,
 * log mailer), driven by a plain HTTP client. Proves: a production install refuses
 * sign-up unless told otherwise; with sign-up on, an address gets an account (and a
 * role) only through the link mailed to it; a domain outside REGISTRATION_DOMAINS is
 * refused; new and existing addresses get identical answers; an invitation link works
 * once and not after it expires. Reads and writes only its temp installations.
 */
import path from "node:path";
import { DEMO_PASSWORD } from "@marg/core/auth";
import { generateAppKey } from "@marg/core/config";
import SQLite from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormBrowser } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import { firstLinkIn, type LoggedMail, readMailBox } from "../support/mail-box.js";
import { createMargInstallation, type MargInstallation } from "../support/marg-installation.js";
import { MARG_BIN, type RunningProcess, startProcess } from "../support/spawn-process.js";

const NEW_PASSWORD = "a registration passphrase";
/** The page without what differs per request (CSRF token, the typed address). */
const normalise = (html: string) => html.replace(/value="[^"]*"/g, 'value=""');

/** Waits until the log mailer has written a mail to `to` (the worker runs on its own clock). */
async function mailTo(dir: string, to: string, timeoutMs = 30_000): Promise<LoggedMail> {
  const started = Date.now();
  for (;;) {
    const mail = readMailBox(dir).find((candidate) => candidate.to.includes(to));
    if (mail !== undefined) return mail;
    if (Date.now() - started > timeoutMs) throw new Error(`no mail to ${to} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("a production installation with REGISTRATION_ENABLED unset", () => {
  const installation = createMargInstallation("registration-prod");
  let server: RunningProcess | undefined;
  let flow: FormBrowser;

  beforeAll(async () => {
    const port = await freePort();
    installation.writeSharedEnv({
      APP_KEY: generateAppKey(),
      APP_ENV: "production",
      MARG_APPS: "flow",
      MARG_DOMAIN: "marg.test",
      MAIL_MAILER: "log",
      LOG_LEVEL: "warn",
    });
    installation.writeAppEnv("flow", { APP_URL: `http://flow.marg.test:${port}` });
    await installation.run(["migrate", "--force"]);
    server = await installation.serve("flow", port);
    flow = new FormBrowser({ host: "flow.marg.test", port });
  }, 120_000);
  afterAll(async () => {
    await server?.stop(5_000);
    installation.remove();
  });

  it("offers no sign-up, answers 404 to /register by page and by API, and makes no account", async () => {
    expect((await flow.get("/login")).body).not.toContain("/register");
    expect((await flow.get("/register")).status).toBe(404);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await flow.get("/login")).body)?.[1] ?? "";
    const form = await flow.post("/register", { _csrf: csrf, email: "intruder@example.com" });
    expect(form.status).toBe(404);
    const api = await flow.post(
      "/register",
      { _csrf: csrf, name: "Intruder", email: "intruder@example.com", password: NEW_PASSWORD },
      { headers: { accept: "application/json" } },
    );
    expect(api.status).toBe(404);
    expect(JSON.parse(api.body)).toMatchObject({ error: { code: "E_AUTH_REGISTRATION_CLOSED" } });
    const signIn = await flow.post(
      "/login",
      { _csrf: csrf, email: "intruder@example.com", password: NEW_PASSWORD },
      { headers: { accept: "application/json" } },
    );
    expect(signIn.status).toBe(401);
  });
});

describe("an installation with sign-up turned on for two domains", () => {
  const installation: MargInstallation = createMargInstallation("registration-open");
  const mailDir = path.join(installation.root, "storage", "mail");
  const processes: RunningProcess[] = [];
  let flow: FormBrowser;
  let admin: FormBrowser;
  let visitor: (n: number) => FormBrowser;
  let worker: RunningProcess;

  /** `marg rbac:check` as a real process: what the account may do, read fresh from the database. */
  const rbacCheck = (email: string, permission: string) =>
    installation.run(["rbac:check", email, permission, "--app", "flow"]).then(
      (out) => out.trim(),
      (error: Error) => `failed: ${error.message}`,
    );

  beforeAll(async () => {
    const [flowPort, adminPort] = [await freePort(), await freePort()];
    installation.writeSharedEnv({
      APP_KEY: generateAppKey(),
      MARG_APPS: "flow,admin",
      MARG_DOMAIN: "marg.test",
      SESSION_DOMAIN: ".marg.test",
      QUEUE_CONNECTION: "database",
      MAIL_MAILER: "log",
      LOG_LEVEL: "warn",
      REGISTRATION_ENABLED: "true",
      REGISTRATION_DOMAINS: "example.com,marg.localhost",
    });
    installation.writeAppEnv("flow", { APP_URL: `http://flow.marg.test:${flowPort}` });
    installation.writeAppEnv("admin", { APP_URL: `http://admin.marg.test:${adminPort}` });
    await installation.run(["migrate"]);
    await installation.run(["db:seed"]);
    // At info, so its log shows what it did with each sign-up (and can be searched for tokens).
    worker = startProcess("node", [MARG_BIN, "work", "--sleep", "0.1"], {
      env: { MARG_ROOT: installation.root, LOG_LEVEL: "info" },
    });
    processes.push(worker);
    processes.push(await installation.serve("flow", flowPort));
    processes.push(await installation.serve("admin", adminPort));
    flow = new FormBrowser({ host: "flow.marg.test", port: flowPort });
    admin = new FormBrowser({ host: "admin.marg.test", port: adminPort });
    // Sign-ups are limited per client address (RATE_LIMIT_REGISTER_IP, 5 an hour): each
    // test signs up from an address of its own, as different visitors would.
    visitor = (n) =>
      new FormBrowser({ host: "flow.marg.test", port: flowPort, localAddress: `127.0.0.${n}` });
  }, 180_000);
  afterAll(async () => {
    await Promise.all(processes.map((process) => process.stop(5_000)));
    installation.remove();
  });

  it("answers a new and an existing address with the same page, and only the inbox tells them apart", async () => {
    const fresh = await visitor(11).submit("/register", "/register", { email: "newcomer@example.com" });
    const taken = await visitor(11).submit("/register", "/register", { email: "ada@marg.localhost" });
    expect([fresh.status, taken.status]).toEqual([200, 200]);
    expect(normalise(fresh.body)).toBe(normalise(taken.body));
    expect(fresh.body).toContain("Check your mail");
    const note = await mailTo(mailDir, "ada@marg.localhost");
    expect(note.text).toContain("already has one");
    const link = await mailTo(mailDir, "newcomer@example.com");
    expect(note.subject).toBe(link.subject);
    expect(firstLinkIn(link.text)?.pathname).toBe("/join");
  });

  it("gives the same JSON answer for both, too", async () => {
    const browser = visitor(12);
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get("/register")).body)?.[1] ?? "";
    const ask = (email: string) =>
      browser.post("/register", { _csrf: csrf, email }, { headers: { accept: "application/json" } });
    const [fresh, taken] = [await ask("json.newcomer@example.com"), await ask("grace@marg.localhost")];
    expect([fresh.status, taken.status]).toEqual([202, 202]);
    expect(fresh.body).toBe(taken.body);
  });

  it("creates the account, with REGISTRATION_ROLE, only when the mailed link is used", async () => {
    await visitor(13).submit("/register", "/register", { email: "verify.me@example.com" });
    const mail = await mailTo(mailDir, "verify.me@example.com");
    // Mailed, not yet clicked: there is no account to sign in to or to hold a role.
    expect(await rbacCheck("verify.me@example.com", "tasks.view")).toContain("failed");
    const guess = flow.clone();
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await guess.get("/login")).body)?.[1] ?? "";
    const signIn = await guess.post(
      "/login",
      { _csrf: csrf, email: "verify.me@example.com", password: NEW_PASSWORD },
      { headers: { accept: "application/json" } },
    );
    expect(signIn.status).toBe(401);

    const link = firstLinkIn(mail.text);
    const token = link?.searchParams.get("token") ?? "";
    const person = flow.clone();
    const page = `/join?token=${encodeURIComponent(token)}`;
    const done = await person.submit(page, "/join", { token, name: "Verified", password: NEW_PASSWORD });
    expect(done.status).toBe(303);
    expect((await person.get("/account")).body).toContain("Email: verify.me@example.com");
    expect(await rbacCheck("verify.me@example.com", "tasks.create")).toMatch(/^yes: .*member/);
    // The link is spent: a second use creates nothing and says so.
    expect((await flow.clone().get(page)).status).toBe(400);
    // The worker said what it did, and nowhere the token.
    expect(worker.output()).toContain("sign-up link mailed");
    expect(worker.output()).not.toContain(token);
  });

  it("refuses an address outside REGISTRATION_DOMAINS and mails nothing to it", async () => {
    const refused = await visitor(14).submit("/register", "/register", { email: "mallory@evil.test" });
    expect(refused.status).toBe(422);
    expect(refused.body).toContain("approved domains");
    // FIFO on one queue: once a later sign-up's mail is out, the refused one would have been too.
    await visitor(14).submit("/register", "/register", { email: "after.mallory@example.com" });
    await mailTo(mailDir, "after.mallory@example.com");
    expect(readMailBox(mailDir).some((mail) => mail.to.includes("evil.test"))).toBe(false);
  });

  it("lets an admin invite by email: the link works once, and not once it has expired", async () => {
    const grace = admin.clone();
    const signedIn = await grace.submit("/login", "/login", {
      email: "grace@marg.localhost",
      password: DEMO_PASSWORD,
    });
    expect(signedIn.status).toBe(303);
    for (const email of ["invited@example.com", "late@example.com"]) {
      const invited = await grace.submit("/users/invite", "/users/invite", { email, roles: "viewer" });
      expect(invited.status).toBe(303);
    }
    const token = (email: string) =>
      mailTo(mailDir, email).then((mail) => firstLinkIn(mail.text)?.searchParams.get("token") ?? "");
    const [onTime, late] = [await token("invited@example.com"), await token("late@example.com")];

    const invitee = flow.clone();
    const page = `/join?token=${encodeURIComponent(onTime)}`;
    const done = await invitee.submit(page, "/join", {
      token: onTime,
      name: "Invited",
      password: NEW_PASSWORD,
    });
    expect(done.status).toBe(303);
    expect(await rbacCheck("invited@example.com", "tasks.view")).toMatch(/^yes: .*viewer/);
    expect(await rbacCheck("invited@example.com", "tasks.create")).toMatch(/^no/);
    expect((await flow.clone().get(page)).status).toBe(400);

    // Seven days pass for the other invitation (its expiry moved into the past, in the database itself).
    const db = new SQLite(path.join(installation.root, "storage", "database", "marg-rbac.sqlite"));
    try {
      db.prepare("update account_invitations set expires_at = ? where email = ?").run(
        Date.now() - 1,
        "late@example.com",
      );
    } finally {
      db.close();
    }
    const expired = await flow.clone().get(`/join?token=${encodeURIComponent(late)}`);
    expect(expired.status).toBe(400);
    expect(expired.body).toContain("invalid, already used or expired");
  });

  it("times the two answers alike (figures printed, not asserted: this machine is shared)", async () => {
    const browser = flow.clone();
    const csrf = /name="_csrf" value="([^"]+)"/.exec((await browser.get("/register")).body)?.[1] ?? "";
    const timed = async (email: string) => {
      const started = process.hrtime.bigint();
      await browser.post("/register", { _csrf: csrf, email });
      return Number(process.hrtime.bigint() - started) / 1e6;
    };
    const fresh: number[] = [];
    const taken: number[] = [];
    // Alternating which goes first, so the worker's concurrent work lands on both alike.
    for (let i = 0; i < 20; i += 1) {
      if (i % 2 === 0) {
        fresh.push(await timed(`timing${i}@example.com`));
        taken.push(await timed("linus@marg.localhost"));
      } else {
        taken.push(await timed("linus@marg.localhost"));
        fresh.push(await timed(`timing${i}@example.com`));
      }
    }
    const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
    console.log(
      `POST /register median: new address ${median(fresh)?.toFixed(2)} ms, existing ${median(taken)?.toFixed(2)} ms`,
    );
    expect(fresh).toHaveLength(20);
  });
});
