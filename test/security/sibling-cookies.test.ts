/**
 * Cookie tossing from a sibling host, in a real Chromium: flow and links as
 * `marg serve` processes behind nginx, and evil.marg.test served by this test
 * behind the same nginx. Grace (the attacker) has her own sessions and their
 * CSRF tokens; each evil page plants one of her session cookies on .marg.test
 * (on a longer path, so the browser sends it before Ada's) and auto-submits a
 * forged form to a MARG app. Ada (the victim) is signed in on flow.
 */
import type { Page, Response } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csrfTokenIn } from "../support/form-browser.js";
import { DEMO_PASSWORD, type SecurityFleet, startSecurityFleet } from "../support/security-fleet.js";

const ADA = { email: "ada@marg.localhost", name: "Ada Lovelace" };
const GRACE = { email: "grace@marg.localhost", name: "Grace Hopper" };

interface Forgery {
  /** The cookie planted on .marg.test, and the path it is planted for. */
  readonly cookie: string;
  readonly path: string;
  readonly action: string;
  readonly fields: Readonly<Record<string, string>>;
}

const forgeries = new Map<string, Forgery>();

/** An evil page: plants the cookie for the whole domain and submits the form as soon as it loads. */
function evilPage(forgery: Forgery): string {
  const inputs = Object.entries(forgery.fields)
    .map(([name, value]) => `<input type="hidden" name="${name}" value="${value}">`)
    .join("");
  return `<!doctype html><html><body><form method="post" action="${forgery.action}">${inputs}</form>
<script>document.forms[0].submit()</script></body></html>`;
}

describe("a sibling host (evil.marg.test) cannot toss cookies at MARG", () => {
  let fleet: SecurityFleet;
  let victim: Page;
  let evil: Page;

  beforeAll(async () => {
    fleet = await startSecurityFleet({
      label: "sibling-cookies",
      siteHosts: ["evil.marg.test"],
      site: (request, response) => {
        const forgery = forgeries.get(request.url ?? "");
        if (forgery === undefined) {
          response.writeHead(404).end();
          return;
        }
        response.writeHead(200, {
          "content-type": "text/html; charset=utf-8",
          "set-cookie": `marg_session=${forgery.cookie}; Domain=marg.test; Path=${forgery.path}; SameSite=Lax`,
        });
        response.end(evilPage(forgery));
      },
    });
    const flow = (path: string) => fleet.url("flow.marg.test", path);
    const links = (path: string) => fleet.url("links.marg.test", path);

    // Grace's sessions, made over plain HTTP: a fresh one (as the sign-in form gives)
    // and a signed-in one, each with the CSRF token the evil pages will send.
    const fresh = fleet.http("flow");
    const loginForm = await fresh.get("/login");
    const freshCookie = fresh.jar.get("marg_session") ?? "";
    const freshToken = csrfTokenIn(loginForm.body, "/login") ?? "";
    const grace = fleet.http("links");
    await grace.submit("/login", "/login", { email: GRACE.email, password: DEMO_PASSWORD });
    const newLink = await grace.get("/links/new");
    const graceCookie = grace.jar.get("marg_session") ?? "";
    const graceToken = csrfTokenIn(newLink.body, "/links") ?? "";
    expect([freshCookie, freshToken, graceCookie, graceToken].every((value) => value !== "")).toBe(true);

    forgeries.set("/sign-in-as-grace", {
      cookie: freshCookie,
      path: "/login",
      action: flow("/login"),
      fields: { _csrf: freshToken, email: GRACE.email, password: DEMO_PASSWORD, next: "/account" },
    });
    forgeries.set("/sign-out", {
      cookie: freshCookie,
      path: "/logout",
      action: flow("/logout"),
      fields: { _csrf: freshToken },
    });
    forgeries.set("/create-link", {
      cookie: graceCookie,
      path: "/links",
      action: links("/links"),
      fields: {
        _csrf: graceToken,
        targetUrl: "https://planted.example/",
        slug: "planted-by-evil",
        enabled: "on",
      },
    });

    victim = await fleet.chromium.context.newPage();
    await victim.goto(flow("/login"));
    await victim.getByLabel("Email").fill(ADA.email);
    await victim.getByLabel("Password").fill(DEMO_PASSWORD);
    await victim.getByRole("button", { name: "Sign in" }).click();
    await victim.waitForURL((at) => at.pathname !== "/login");
    evil = await fleet.chromium.context.newPage();
  }, 180_000);

  afterAll(async () => {
    await fleet?.close();
  });

  /** Opens the evil page and waits for the answer to the form it submits. */
  async function forge(path: string): Promise<Response> {
    const forgery = forgeries.get(path);
    if (forgery === undefined) throw new Error(`no forgery ${path}`);
    const answer = evil.waitForResponse(
      (response) => response.request().method() === "POST" && response.url() === forgery.action,
    );
    await evil.goto(fleet.url("evil.marg.test", path));
    return answer;
  }

  /** Who flow says is signed in, in Ada's tab. */
  async function whoIsSignedIn(): Promise<string | null> {
    await victim.goto(fleet.url("flow.marg.test", "/account"));
    if (new URL(victim.url()).pathname === "/login") return null;
    return victim.locator(".user-menu .name").textContent();
  }

  it("starts with Ada signed in on flow", async () => {
    expect(await whoIsSignedIn()).toBe(ADA.name);
  });

  it("refuses a forged sign-in as Grace (with her planted session and its CSRF token): Ada stays Ada", async () => {
    const answer = await forge("/sign-in-as-grace");
    expect(answer.status()).toBe(403);
    expect(await answer.text()).toContain("not one of MARG&#39;s apps");
    expect(await whoIsSignedIn()).toBe(ADA.name);
  });

  it("refuses a forged sign-out: Ada is still signed in", async () => {
    const answer = await forge("/sign-out");
    expect(answer.status()).toBe(403);
    expect(await whoIsSignedIn()).toBe(ADA.name);
  });

  it("refuses a forged state change on links: no short link is created", async () => {
    const answer = await forge("/create-link");
    expect(answer.status()).toBe(403);
    const grace = fleet.http("links");
    await grace.submit("/login", "/login", { email: GRACE.email, password: DEMO_PASSWORD });
    expect((await grace.get("/links?q=planted")).body).not.toContain("planted-by-evil");
  });

  it("never signs Ada into Grace's session on either app, and treats two session cookies as signed out", async () => {
    // The planted cookies are still in the browser, each on its own path: where both are sent,
    // the request runs signed out and the sign-in page says what to do.
    const login = await victim.goto(fleet.url("flow.marg.test", "/login"));
    expect(login?.status()).toBe(400);
    expect(await victim.locator("body").textContent()).toContain("two MARG session cookies");
    await victim.goto(fleet.url("links.marg.test", "/links"));
    const names = await victim.locator(".user-menu .name").allTextContents();
    expect(names).not.toContain(GRACE.name);
    expect(await whoIsSignedIn()).toBe(ADA.name);
  });

  it("shows MARG's pages without a single Content-Security-Policy violation", () => {
    expect(fleet.cspViolations).toEqual([]);
  });
});
