// Scenarios A–D: what each side is asked, and how the bench checks it is answered
// right before timing it (a page that silently became a redirect to /login would
// make any figure meaningless).
import type { HttpTarget } from "../harness/http-load.js";
import type { ServerProcess } from "../harness/server-process.js";
import { FLOW_HOST, LINKS_HOST } from "../targets/bench-installation.js";

export const WEB_SCENARIOS = ["A", "B", "C", "D"] as const;
export type WebScenarioId = (typeof WEB_SCENARIOS)[number];
export type Contender = "marg" | "express" | "ceiling";

export const SCENARIO_TITLES: Record<WebScenarioId | "E" | "F", string> = {
  A: "anonymous page (sign-in form)",
  B: "signed-in page: session + RBAC check",
  C: "B + one indexed MySQL query (20 rows)",
  D: "short-link redirect, click counted",
  E: "sign-in POST (argon2id)",
  F: "jobs: enqueue → processed (no-op)",
};

/** The servers of one run and the credentials each was signed in with. */
export interface WebServers {
  readonly margFlow: ServerProcess;
  readonly margLinks: ServerProcess;
  readonly express: ServerProcess;
  readonly ceiling: ServerProcess;
  readonly margCookie: string;
  readonly expressCookie: string;
  readonly ceilingCookie: string;
  readonly linkSlug: string;
}

export interface WebCase extends HttpTarget {
  readonly scenario: WebScenarioId;
  readonly contender: Contender;
  readonly server: ServerProcess;
  /** Text the body must contain, checked once before timing. */
  readonly mustContain?: string;
}

/** Every (scenario, contender) pair of the run; D has no Express peer (the issue compares it with the ceiling). */
export function webCases(servers: WebServers, userName: string): WebCase[] {
  const flow = (contender: Contender, server: ServerProcess, cookie: string) =>
    [
      {
        scenario: "A",
        contender,
        server,
        port: server.port,
        host: FLOW_HOST,
        path: "/login",
        expectStatus: 200,
        mustContain: 'name="_csrf"',
      },
      {
        scenario: "B",
        contender,
        server,
        port: server.port,
        host: FLOW_HOST,
        path: "/bench/signed-in",
        headers: { cookie },
        expectStatus: 200,
        mustContain: `Hello, ${userName}`,
      },
      {
        scenario: "C",
        contender,
        server,
        port: server.port,
        host: FLOW_HOST,
        path: "/bench/tasks",
        headers: { cookie },
        expectStatus: 200,
        mustContain: "<td>",
      },
    ] satisfies WebCase[];
  return [
    ...flow("marg", servers.margFlow, servers.margCookie),
    ...flow("express", servers.express, servers.expressCookie),
    ...flow("ceiling", servers.ceiling, servers.ceilingCookie),
    {
      scenario: "D",
      contender: "marg",
      server: servers.margLinks,
      port: servers.margLinks.port,
      host: LINKS_HOST,
      path: `/${servers.linkSlug}`,
      expectStatus: 302,
    },
    {
      scenario: "D",
      contender: "ceiling",
      server: servers.ceiling,
      port: servers.ceiling.port,
      host: LINKS_HOST,
      path: `/${servers.linkSlug}`,
      expectStatus: 302,
    },
  ];
}
