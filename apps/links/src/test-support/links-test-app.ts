/**
 * links.marg for route tests, on core's startTestApp: a temp installation
 * (.env.shared with MARG_APPS=flow,links,admin, SQLite files under it; Redis
 * under a scratch prefix when asked), core's and links' migrations, the default
 * roles, one account per role, and the real app as `marg serve` builds it.
 * Requests go through Fastify's `inject`; `listen` adds a loopback port for the
 * tests (and the benchmark) that are about the socket. `close()` removes everything.
 */
import type { PlatformJobs } from "@marg/core/platform";
import type { AnyJobDefinition } from "@marg/core/queue";
import { startTestApp, TEST_DOMAIN, type TestApp, type TestClient } from "@marg/core/testing";
import type { Kysely } from "kysely";
import { createLinksApp } from "../app.js";
import type { LinksOverrides, LinksServices } from "../app-services.js";
import { flushClicks } from "../clicks/service.js";
import type { LinksTables } from "../db/schema.js";

export const TEST_HOST = `links.${TEST_DOMAIN}`;

/** One account per seeded role, and a second member to be "someone else". */
export const ACCOUNTS = {
  admin: { email: "grace@marg.test", name: "Grace Admin", role: "admin" },
  member: { email: "linus@marg.test", name: "Linus Member", role: "member" },
  other: { email: "mia@marg.test", name: "Mia Member", role: "member" },
  viewer: { email: "vera@marg.test", name: "Vera Viewer", role: "viewer" },
} as const;

export type AccountName = keyof typeof ACCOUNTS;

export interface LinksTestApp extends TestApp<AccountName> {
  /** The loopback port, with `listen` (throws without: the test meant to use inject). */
  readonly port: number;
  readonly runtime: LinksServices;
  readonly db: Kysely<LinksTables>;
  readonly userIds: Readonly<Record<AccountName, number>>;
  /** A client with no cookies. */
  browser(): TestClient;
  /** What the `links:flush-clicks` job does, after this process's buffer is written. */
  flush(): Promise<void>;
}

export async function startLinksTestApp(options: {
  label: string;
  redis?: boolean;
  overrides?: LinksOverrides;
  /** Job handlers for QUEUE_CONNECTION=sync; a function gets the app's platform (as the worker's handlers do). */
  jobs?: readonly AnyJobDefinition[] | PlatformJobs;
  /** LOG_LEVEL of the app; default silent (benchmarks measure request logging with info). */
  logLevel?: string;
  /** Also listen on a loopback port, for tests about the socket. */
  listen?: boolean;
}): Promise<LinksTestApp> {
  let runtime: LinksServices | undefined;
  const definition = createLinksApp({
    ...options.overrides,
    onRuntime: (built) => {
      runtime = built;
    },
  });
  const app = await startTestApp(definition, {
    label: options.label,
    installed: { flow: "Flow", links: "Links", admin: "Admin" },
    env: { QUEUE_CONNECTION: "sync", LOG_LEVEL: options.logLevel ?? "silent" },
    people: ACCOUNTS,
    ...(options.redis === undefined ? {} : { redis: options.redis }),
    jobs: options.jobs ?? [],
    ...(options.listen === undefined ? {} : { listen: options.listen }),
  });
  if (runtime === undefined) {
    await app.close();
    throw new Error("the links app built no runtime");
  }
  const built = runtime;
  const db = app.platform.databases.connection<LinksTables>("app");
  const ids = Object.entries(app.users).map(([name, user]) => [name, user.id]);
  return {
    ...app,
    get port() {
      if (app.url === undefined) throw new Error("startLinksTestApp without listen has no port");
      return Number(new URL(app.url).port);
    },
    runtime: built,
    db,
    userIds: Object.fromEntries(ids) as Record<AccountName, number>,
    browser: () => app.client(),
    async flush() {
      await built.counter.drain();
      await flushClicks({ db, redis: app.platform.redis });
    },
  };
}
