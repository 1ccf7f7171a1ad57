/**
 * Issue 18's journeys with a real relying party, as people and operators do them:
 * flow, links and id as `marg serve` processes of one installation and a real
 * `marg work` (back-channel logout is sent from the worker), behind a real nginx
 * with one server per host; two relying parties on openid-client
 * (test/support/oidc-relying-party.ts) on host names outside MARG's cookie domain
 * (rp.example.test first-party, partner.example.test not), registered with
 * `marg oidc:client create`; Chromium clicks. Run once with Redis (sessions, queue
 * and the provider's store) and once with the database for all three.
 * Screenshots: test-artifacts/oidc-<driver>-*.png.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { generateAppKey } from "@marg/core/config";
import { createScratchRedisPrefix, type ScratchRedisPrefix } from "@marg/core/testing";
import type { Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS_DIR, type ChromiumSession, launchChromium } from "../support/chromium-browser.js";
import { freePort } from "../support/free-port.js";
import { createMargInstallation, type MargInstallation } from "../support/marg-installation.js";
import { type NginxProxy, startNginxProxy } from "../support/nginx-proxy.js";
import {
  type RelyingParty,
  type RelyingPartySession,
  startRelyingParty,
} from "../support/oidc-relying-party.js";
import { MARG_BIN, type RunningProcess, startProcess } from "../support/spawn-process.js";

const DRIVERS = ["redis", "database"] as const;
const MARG_APPS = ["flow", "links", "id"] as const;
/** The order the processes of a run are started in. */
const PROCESS_NAMES = [...MARG_APPS.map((app) => `marg serve ${app}`), "marg work"];
const PASSWORD = "marg-demo-password";
const LINUS = { email: "linus@marg.localhost", name: "Linus Member" };
/** Who is disabled in journey (d): one person per run, so neither run needs the other's enabled again. */
const DISABLED_IN = {
  redis: { email: "vera@marg.localhost", name: "Vera Viewer" },
  database: { email: "ada@marg.localhost", name: "Ada Lovelace" },
} as const;
const GRACE = { email: "grace@marg.localhost", name: "Grace Hopper" };
/** What the member role may do in flow (rbac-seed.ts), and nothing of links or admin. */
const MEMBER_FLOW_PERMISSIONS = [
  "documents.create",
  "documents.update",
  "documents.view",
  "feedback.create",
  "reports.view",
  "tasks.create",
  "tasks.update",
  "tasks.view",
];

type Person = { readonly email: string; readonly name: string };
type RefreshAnswer = { ok: boolean; error?: string };

/** Polls `probe` until it returns something other than undefined, or fails after `timeoutMs`. */
async function eventually<T>(
  what: string,
  probe: () => T | undefined | Promise<T | undefined>,
  timeoutMs = 15_000,
) {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`gave up waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("a relying party on another host signs people in with their MARG session (issue 18)", () => {
  const installation: MargInstallation = createMargInstallation("oidc-journey");
  const appKey = generateAppKey();
  const ports = { nginx: 0, flow: 0, links: 0, id: 0, rp: 0, partner: 0 };
  let nginx: NginxProxy;
  let chromium: ChromiumSession;
  let rp: RelyingParty;
  let partner: RelyingParty;
  const url = (host: string, pathname: string) => `http://${host}:${ports.nginx}${pathname}`;
  const marg = (app: string, pathname: string) => url(`${app}.marg.test`, pathname);
  const rpUrl = (pathname: string) => url("rp.example.test", pathname);
  const partnerUrl = (pathname: string) => url("partner.example.test", pathname);

  /** `.env.shared` for a run; APP_URL is the worker's (its id host URL is derived from it). */
  const sharedEnv = (driver: "redis" | "database", redisPrefix?: string) => ({
    APP_KEY: appKey,
    MARG_APPS: MARG_APPS.join(","),
    MARG_DOMAIN: "marg.test",
    SESSION_DOMAIN: ".marg.test",
    APP_URL: marg("flow", ""),
    SESSION_DRIVER: driver,
    QUEUE_CONNECTION: driver,
    MAIL_MAILER: "log",
    LOG_LEVEL: "info",
    ...(redisPrefix === undefined ? {} : { REDIS_PREFIX: redisPrefix }),
  });

  /** `marg oidc:client create … --json`: the client's secret, shown once. */
  const registerClient = async (args: readonly string[]): Promise<string> => {
    const printed = await installation.run(["oidc:client", "create", ...args, "--json"]);
    const json = JSON.parse(printed.slice(printed.indexOf("{"), printed.lastIndexOf("}") + 1)) as {
      secret: string | null;
    };
    if (json.secret === null) throw new Error("a confidential client was created without a secret");
    return json.secret;
  };

  beforeAll(async () => {
    for (const name of Object.keys(ports) as (keyof typeof ports)[]) ports[name] = await freePort();
    installation.writeSharedEnv(sharedEnv("database"));
    for (const app of MARG_APPS) installation.writeAppEnv(app, { APP_URL: marg(app, "") });
    const launching = launchChromium({ resolveToLoopback: ["*.marg.test", "*.example.test"] });
    await installation.run(["migrate"]);
    await installation.run(["db:seed"]);
    const [rpSecret, partnerSecret] = await Promise.all([
      registerClient([
        "rp",
        "--name",
        "Relying party",
        "--first-party",
        "--app-scope",
        "flow",
        "--redirect-uri",
        rpUrl("/callback"),
        "--post-logout-redirect-uri",
        rpUrl("/me"),
        "--backchannel-logout-uri",
        `http://127.0.0.1:${ports.rp}/backchannel-logout`,
      ]),
      registerClient([
        "partner",
        "--name",
        "Partner desk",
        "--app-scope",
        "links",
        "--redirect-uri",
        partnerUrl("/callback"),
        "--post-logout-redirect-uri",
        partnerUrl("/me"),
        "--backchannel-logout-uri",
        `http://127.0.0.1:${ports.partner}/backchannel-logout`,
      ]),
    ]);
    const resolve = { "id.marg.test": ports.nginx };
    const issuer = marg("id", "");
    rp = await startRelyingParty({
      issuer,
      clientId: "rp",
      clientSecret: rpSecret,
      publicUrl: () => rpUrl(""),
      resolve,
      port: ports.rp,
    });
    partner = await startRelyingParty({
      issuer,
      clientId: "partner",
      clientSecret: partnerSecret,
      publicUrl: () => partnerUrl(""),
      resolve,
      port: ports.partner,
    });
    nginx = await startNginxProxy({
      port: ports.nginx,
      routes: [
        ...MARG_APPS.map((app) => ({ serverName: `${app}.marg.test`, upstreamPort: ports[app] })),
        { serverName: "rp.example.test", upstreamPort: ports.rp },
        { serverName: "partner.example.test", upstreamPort: ports.partner },
      ],
    });
    chromium = await launching;
    chromium.context.setDefaultTimeout(15_000);
  }, 180_000);

  afterAll(async () => {
    await chromium?.close();
    await nginx?.stop();
    await rp?.close();
    await partner?.close();
    installation.remove();
  });

  for (const driver of DRIVERS) {
    describe(`sessions, queue and provider store on ${driver}`, () => {
      let redis: ScratchRedisPrefix | undefined;
      const running: RunningProcess[] = [];
      let tab: Page;
      const shot = (step: string) => chromium.screenshot(tab, `oidc-${driver}-${step}`);

      /** The relying party's session of this browser (its rp_sid cookie). */
      const rpSessionOf = async (party: RelyingParty, origin: string): Promise<RelyingPartySession> => {
        const cookie = (await chromium.context.cookies(origin)).find((one) => one.name === "rp_sid");
        const session = cookie === undefined ? undefined : party.sessions.get(cookie.value);
        if (session === undefined) throw new Error(`no relying-party session at ${origin}`);
        return session;
      };

      /** The RP refreshes its tokens (POST /refresh from its own page): ok, or the provider's error code. */
      const refreshAt = async (origin: string): Promise<RefreshAnswer> => {
        await tab.goto(`${origin}/me`);
        return await tab.evaluate(async () => {
          const response = await fetch("/refresh", { method: "POST" });
          return (await response.json()) as RefreshAnswer;
        });
      };

      const signInOnFlow = async (person: Person) => {
        await tab.goto(marg("flow", "/login"));
        await tab.getByLabel("Email").fill(person.email);
        await tab.getByLabel("Password").fill(PASSWORD);
        await tab.getByRole("button", { name: "Sign in", exact: true }).click();
        await tab.waitForURL((at) => at.hostname === "flow.marg.test" && at.pathname !== "/login");
        expect(await tab.locator(".user-menu .name").textContent()).toBe(person.name);
      };

      /** Opens the RP's /login and returns every page the browser was sent through (redirects included). */
      const openRpLogin = async (origin: string, landing: (at: URL) => boolean): Promise<URL[]> => {
        const visited: URL[] = [];
        const listener = (request: Request) => {
          if (request.isNavigationRequest() && request.frame() === tab.mainFrame())
            visited.push(new URL(request.url()));
        };
        tab.on("request", listener);
        try {
          await tab.goto(`${origin}/login`);
          await tab.waitForURL(landing);
        } finally {
          tab.off("request", listener);
        }
        return visited;
      };

      beforeAll(async () => {
        redis = driver === "redis" ? createScratchRedisPrefix("oidc_journey") : undefined;
        installation.writeSharedEnv(sharedEnv(driver, redis?.prefix));
        const started = await Promise.allSettled(MARG_APPS.map((app) => installation.serve(app, ports[app])));
        for (const result of started) if (result.status === "fulfilled") running.push(result.value);
        for (const result of started) if (result.status === "rejected") throw result.reason;
        const worker = startProcess("node", [MARG_BIN, "work", "--sleep", "0.1", "--no-scheduler"], {
          env: { MARG_ROOT: installation.root },
        });
        running.push(worker);
        await worker.waitFor(/worker started/, 90_000);
        await chromium.context.clearCookies();
        tab = await chromium.context.newPage();
      }, 180_000);

      afterAll(async () => {
        await tab?.close();
        await Promise.all(running.map((process) => process.stop(5_000)));
        // What the servers and the worker printed, for a failure's post-mortem.
        writeFileSync(
          path.join(ARTIFACTS_DIR, `oidc-${driver}-processes.log`),
          running.map((process, i) => `=== ${PROCESS_NAMES[i]}\n${process.output()}`).join("\n"),
        );
        await redis?.clear();
      });

      it("(a) signed in on flow with the password, the RP signs in without asking for it again", async () => {
        await signInOnFlow(LINUS);
        const visited = await openRpLogin(rpUrl(""), (at) => at.href === rpUrl("/me"));
        // Through the provider's authorization endpoint, never a sign-in page on any host.
        expect(visited.some((at) => at.hostname === "id.marg.test" && at.pathname === "/authorize")).toBe(
          true,
        );
        expect(visited.filter((at) => at.pathname === "/login" && at.hostname.endsWith("marg.test"))).toEqual(
          [],
        );
        expect(await tab.getByLabel("Password").count()).toBe(0);
        expect(await tab.locator("#status").textContent()).toBe("signed in");
        await shot("1-rp-signed-in");
        const session = await rpSessionOf(rp, rpUrl(""));
        expect(rp.errors).toEqual([]);
        expect(session.claims?.sub).toMatch(/^[1-9][0-9]*$/);
        expect(session.sid).toEqual(expect.any(String));
        expect(session.refreshToken).toEqual(expect.any(String));
      });

      it("(a) the RP holds the claims as registered: email, name, and roles and permissions of flow only (ID token and userinfo)", async () => {
        const session = await rpSessionOf(rp, rpUrl(""));
        for (const claims of [session.claims, session.userinfo]) {
          expect(claims).toMatchObject({ email: LINUS.email, email_verified: true, name: LINUS.name });
          expect(claims?.roles).toEqual(["member"]);
          expect([...((claims?.permissions as string[] | undefined) ?? [])].sort()).toEqual(
            MEMBER_FLOW_PERMISSIONS,
          );
        }
      });

      it("(b) the RP refreshes its tokens", async () => {
        const before = (await rpSessionOf(rp, rpUrl(""))).refreshToken;
        expect(await refreshAt(rpUrl(""))).toEqual({ ok: true });
        // Rotated at every use.
        expect((await rpSessionOf(rp, rpUrl(""))).refreshToken).not.toBe(before);
      });

      it("(c) signing out on links sends the RP a valid back-channel logout; its session ends and its refresh token is refused", async () => {
        const session = await rpSessionOf(rp, rpUrl(""));
        const seen = rp.backchannelLogouts.length;
        await tab.goto(marg("links", "/account"));
        expect(await tab.locator(".user-menu .name").textContent()).toBe(LINUS.name);
        await tab.getByRole("button", { name: "Sign out", exact: true }).click();
        await tab.waitForURL((at) => at.hostname === "links.marg.test" && at.pathname === "/login");
        const logout = await eventually("a back-channel logout at the RP", () => rp.backchannelLogouts[seen]);
        expect(logout).toMatchObject({ ok: true, error: null });
        expect(logout.claims?.sub).toBe(session.claims?.sub);
        expect(logout.claims?.sid).toBe(session.sid);
        await tab.goto(rpUrl("/me"));
        expect(await tab.locator("#status").textContent()).toBe("signed out");
        await shot("2-rp-signed-out-by-backchannel");
        const refused = await eventually("the refresh refused", async () => {
          const answer = await refreshAt(rpUrl(""));
          return answer.ok ? undefined : answer;
        });
        expect(refused).toEqual({ ok: false, error: "invalid_grant" });
      });

      it("(d) signed in again, then `marg user:disable`: the RP's refresh is refused at once", async () => {
        const person = DISABLED_IN[driver];
        await signInOnFlow(person);
        await openRpLogin(rpUrl(""), (at) => at.href === rpUrl("/me"));
        expect(await tab.locator("#status").textContent()).toBe("signed in");
        expect((await rpSessionOf(rp, rpUrl(""))).claims?.email).toBe(person.email);
        expect(await refreshAt(rpUrl(""))).toEqual({ ok: true });
        await installation.run(["user:disable", person.email]);
        expect(await refreshAt(rpUrl(""))).toEqual({ ok: false, error: "invalid_grant" });
      });

      it("(e) a client that is not first-party asks for consent on the id host; Allow signs in at the partner", async () => {
        await signInOnFlow(GRACE);
        await tab.goto(partnerUrl("/login"));
        await tab.waitForURL(
          (at) => at.hostname === "id.marg.test" && at.pathname.startsWith("/interaction/"),
        );
        await tab.getByRole("heading", { name: "Allow Partner desk?" }).waitFor();
        expect(await tab.getByLabel("Password").count()).toBe(0);
        await shot("3-consent");
        await tab.getByRole("button", { name: "Allow", exact: true }).click();
        await tab.waitForURL(partnerUrl("/me"));
        expect(await tab.locator("#status").textContent()).toBe("signed in");
        await shot("4-partner-signed-in");
        const session = await rpSessionOf(partner, partnerUrl(""));
        expect(partner.errors).toEqual([]);
        expect(session.claims).toMatchObject({ email: GRACE.email, name: GRACE.name, roles: ["admin"] });
        const permissions = (session.claims?.permissions as string[] | undefined) ?? [];
        expect(permissions).toContain("links.view");
        expect(permissions.filter((name) => !name.startsWith("links."))).toEqual([]);
      });

      it("(f) signing out through the RP (RP-initiated logout) ends the MARG session too, and the other client hears of it", async () => {
        const partnerSession = await rpSessionOf(partner, partnerUrl(""));
        const seen = partner.backchannelLogouts.length;
        await openRpLogin(rpUrl(""), (at) => at.href === rpUrl("/me"));
        expect((await rpSessionOf(rp, rpUrl(""))).claims?.email).toBe(GRACE.email);
        await tab.goto(rpUrl("/logout"));
        await tab.waitForURL((at) => at.hostname === "id.marg.test" || at.href === rpUrl("/me"));
        if (tab.url() !== rpUrl("/me")) {
          await shot("5-sign-out-question");
          await tab.getByRole("button", { name: "Yes, sign me out" }).click();
          await tab.waitForURL(rpUrl("/me"));
        }
        expect(await tab.locator("#status").textContent()).toBe("signed out");
        await tab.goto(marg("flow", "/account"));
        expect(new URL(tab.url()).pathname).toBe("/login");
        await shot("6-flow-signed-out");
        const logout = await eventually("a back-channel logout at the partner", () =>
          partner.backchannelLogouts
            .slice(seen)
            .find((one) => one.claims?.sub === partnerSession.claims?.sub),
        );
        expect(logout.ok).toBe(true);
      });

      it("shows every page of the journeys without a Content-Security-Policy violation", () => {
        expect(chromium.cspViolations).toEqual([]);
      });
    });
  }
});
