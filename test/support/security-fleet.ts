/**
 * The stage of the security browser tests: flow and links as two `marg serve`
 * processes of one temp installation (migrated and seeded), behind a real nginx
 * routing by host name, plus a site the test itself serves (a sibling host such
 * as evil.marg.test, or a foreign one) behind the same nginx, and a Chromium
 * that resolves all of them to 127.0.0.1, keeping every CSP violation. Writes only temp folders.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { generateAppKey } from "@marg/core/config";
import { type ChromiumSession, launchChromium } from "./chromium-browser.js";
import { FormBrowser } from "./form-browser.js";
import { freePort } from "./free-port.js";
import { createMargInstallation, type MargInstallation } from "./marg-installation.js";
import { type NginxProxy, startNginxProxy } from "./nginx-proxy.js";
import type { RunningProcess } from "./spawn-process.js";

export const DEMO_PASSWORD = "marg-demo-password";
const APPS = ["flow", "links"] as const;

/** What the test's own site was asked: method, host and path of each request. */
export interface SiteVisit {
  readonly method: string;
  readonly host: string;
  readonly url: string;
}

export interface SecurityFleet {
  /** nginx's port: every host is served on it. */
  readonly port: number;
  readonly chromium: ChromiumSession;
  readonly installation: MargInstallation;
  /** Requests the test's own site answered. */
  readonly visits: readonly SiteVisit[];
  /** Content-Security-Policy violations of every page (see ChromiumSession). */
  readonly cspViolations: readonly string[];
  /** `http://<host>:<port><pathname>`. */
  url(host: string, pathname: string): string;
  /** A plain HTTP client (not the browser) on `<app>.marg.test`, through nginx. */
  http(app: (typeof APPS)[number]): FormBrowser;
  close(): Promise<void>;
}

export type SiteHandler = (request: IncomingMessage, response: ServerResponse, port: number) => void;

export async function startSecurityFleet(options: {
  label: string;
  /** Host names the test's own site answers (evil.marg.test, foreign.example). */
  siteHosts: readonly string[];
  site: SiteHandler;
}): Promise<SecurityFleet> {
  const installation = createMargInstallation(options.label);
  const [nginxPort, flowPort, linksPort, sitePort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ];
  installation.writeSharedEnv({
    APP_KEY: generateAppKey(),
    MARG_APPS: APPS.join(","),
    MARG_DOMAIN: "marg.test",
    SESSION_DOMAIN: ".marg.test",
    SESSION_DRIVER: "database",
    MAIL_MAILER: "log",
    LOG_LEVEL: "warn",
  });
  for (const app of APPS) installation.writeAppEnv(app, { APP_URL: `http://${app}.marg.test:${nginxPort}` });
  const visits: SiteVisit[] = [];
  const servers: RunningProcess[] = [];
  let site: Server | undefined;
  let nginx: NginxProxy | undefined;
  let chromium: ChromiumSession | undefined;
  const close = async () => {
    await chromium?.close();
    await nginx?.stop();
    await Promise.all(servers.map((server) => server.stop()));
    await new Promise((resolve) => (site === undefined ? resolve(undefined) : site.close(resolve)));
    installation.remove();
  };
  try {
    await installation.run(["migrate"]);
    await installation.run(["db:seed"]);
    const hosts = options.siteHosts;
    const launching = launchChromium({
      resolveToLoopback: ["*.marg.test", ...hosts.filter((h) => !h.endsWith(".marg.test"))],
    });
    const started = await Promise.allSettled([
      installation.serve("flow", flowPort),
      installation.serve("links", linksPort),
    ]);
    for (const result of started) if (result.status === "fulfilled") servers.push(result.value);
    chromium = await launching;
    for (const result of started) if (result.status === "rejected") throw result.reason;
    site = createServer((request, response) => {
      visits.push({ method: request.method ?? "", host: request.headers.host ?? "", url: request.url ?? "" });
      options.site(request, response, nginxPort);
    });
    await new Promise<void>((resolve) => site?.listen(sitePort, "127.0.0.1", resolve));
    nginx = await startNginxProxy({
      port: nginxPort,
      routes: [
        { serverName: "flow.marg.test", upstreamPort: flowPort },
        { serverName: "links.marg.test", upstreamPort: linksPort },
        ...hosts.map((serverName) => ({ serverName, upstreamPort: sitePort })),
      ],
    });
    chromium.context.setDefaultTimeout(10_000);
  } catch (error) {
    await close();
    throw error;
  }
  const browser = chromium;
  return {
    port: nginxPort,
    chromium: browser,
    installation,
    visits,
    cspViolations: browser.cspViolations,
    url: (host, pathname) => `http://${host}:${nginxPort}${pathname}`,
    http: (app) => new FormBrowser({ host: `${app}.marg.test`, port: nginxPort }),
    close,
  };
}
