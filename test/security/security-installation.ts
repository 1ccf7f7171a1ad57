/**
 * The installation the attacker tests aim at: `marg migrate` and `marg db:seed` run
 * once (seeded users, SQLite RBAC database), then `marg serve` processes started
 * with the env each test needs. Clients pick their IP by connecting from a
 * loopback source address (127.0.0.2, 127.0.0.3…).
 */
import { generateAppKey } from "@marg/core/config";
import { FormBrowser, type Site } from "../support/form-browser.js";
import { freePort } from "../support/free-port.js";
import {
  createMargInstallation,
  type EnvLines,
  type MargInstallation,
} from "../support/marg-installation.js";
import type { RunningProcess } from "../support/spawn-process.js";

export const SEEDED = { email: "ada@marg.localhost", password: "marg-demo-password" } as const;
export const HOST = "flow.marg.test";

export interface SecurityInstallation {
  readonly installation: MargInstallation;
  /** Starts `marg serve flow` with `env` in .env.shared (on top of the base env); returns its site. */
  serve(env?: EnvLines): Promise<{ site: Site; process: RunningProcess }>;
  /** A fresh browser on `site`, connecting from `localAddress` (default 127.0.0.1). */
  browser(site: Site, localAddress?: string): FormBrowser;
  stop(): Promise<void>;
}

export async function createSecurityInstallation(label: string): Promise<SecurityInstallation> {
  const installation = createMargInstallation(label);
  const base: EnvLines = {
    APP_KEY: generateAppKey(),
    MARG_APPS: "flow",
    MARG_DOMAIN: "marg.test",
    SESSION_DOMAIN: ".marg.test",
    MAIL_MAILER: "log",
    LOG_LEVEL: "info",
  };
  installation.writeSharedEnv(base);
  await installation.run(["migrate"]);
  await installation.run(["db:seed"]);
  const running: RunningProcess[] = [];
  return {
    installation,
    async serve(env = {}) {
      installation.writeSharedEnv({ ...base, ...env });
      const port = await freePort();
      installation.writeAppEnv("flow", { APP_URL: `http://${HOST}:${port}` });
      const process = await installation.serve("flow", port);
      running.push(process);
      return { site: { host: HOST, port }, process };
    },
    browser: (site, localAddress) =>
      new FormBrowser(localAddress === undefined ? site : { ...site, localAddress }),
    async stop() {
      await Promise.all(running.map((process) => process.stop(5_000)));
      installation.remove();
    },
  };
}
