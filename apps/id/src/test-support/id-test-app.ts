/**
 * id.marg for tests over real sockets, on core's startTestApp: a temp installation
 * (MARG_APPS=flow,links,admin,id; SQLite files under it; Redis under a scratch
 * prefix when asked), core's and id's migrations, the demo accounts, the real app
 * as `marg serve` builds it, listening on a loopback port. `session.ended` runs
 * in-process (QUEUE_CONNECTION=sync) through the id app's own hook.
 * `close()` removes everything.
 */
import type { NewOidcClient, OidcClient } from "@marg/core/oidc";
import { sessionsEndedJob } from "@marg/core/platform";
import { type AnyJobDefinition, defineJob } from "@marg/core/queue";
import {
  type DEMO_PEOPLE,
  startTestApp,
  TEST_DOMAIN,
  type TestApp,
  type TestClient,
} from "@marg/core/testing";
import { createIdApp } from "../app.js";
import type { IdServices } from "../app-services.js";
import { TestBrowser } from "./test-browser.js";

export const ID_TEST_HOST = `id.${TEST_DOMAIN}`;
export const ID_TEST_ISSUER = `http://${ID_TEST_HOST}`;

export interface IdTestApp extends TestApp<keyof typeof DEMO_PEOPLE> {
  readonly issuer: string;
  readonly port: number;
  readonly services: IdServices;
  /** Host name → loopback port, for hostFetch / openid-client's customFetch (add a relying party's own). */
  readonly ports: Map<string, number>;
  /** Registers a client in core's registry (the secret, for a confidential one, is returned once). */
  createClient(input: NewOidcClient): Promise<{ client: OidcClient; secret: string | null }>;
  /** A browser with no cookies, or sharing a signed-in TestClient's MARG session cookie. */
  browser(signedIn?: TestClient): TestBrowser;
}

export async function startIdTestApp(options: {
  label: string;
  redis?: boolean;
  env?: Readonly<Record<string, string>>;
}): Promise<IdTestApp> {
  let services: IdServices | undefined;
  const definition = createIdApp({
    onRuntime: (built) => {
      services = built;
    },
  });
  const hook = definition.onSessionsEnded;
  const app = await startTestApp(definition, {
    label: options.label,
    installed: { flow: "Flow", links: "Links", admin: "Admin", id: "ID" },
    env: { QUEUE_CONNECTION: "sync", ...options.env },
    ...(options.redis === undefined ? {} : { redis: options.redis }),
    // What `marg work` runs for session.ended, with only this app's hook (the one under test).
    jobs: (platform): readonly AnyJobDefinition[] => {
      const run = hook(platform);
      return [defineJob({ ...sessionsEndedJob, handler: (event) => run(event) }) as AnyJobDefinition];
    },
    listen: true,
  });
  if (services === undefined || app.url === undefined) {
    await app.close();
    throw new Error("the id app built no services or did not listen");
  }
  const port = Number(new URL(app.url).port);
  const ports = new Map([[ID_TEST_HOST, port]]);
  return {
    ...app,
    issuer: ID_TEST_ISSUER,
    port,
    services,
    ports,
    createClient: (input) => app.platform.oidcClients.create(input),
    browser: (signedIn) => new TestBrowser(ports, signedIn?.jar ?? new Map()),
  };
}
