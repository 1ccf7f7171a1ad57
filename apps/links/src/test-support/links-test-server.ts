/**
 * links.marg served for route tests: a temp installation (.env.shared in a temp
 * folder, SQLite files under it; Redis under a scratch prefix when asked),
 * core's and links' migrations, the default roles, one account per role, and
 * the real app built by createPlatform + createAppServer, listening on a loopback
 * port. `close()` stops it and removes everything it made.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ARGON2_INSECURE_TEST_PARAMS, PasswordHasher } from "@marg/core/auth";
import { generateAppKey, loadConfig } from "@marg/core/config";
import { createDatabases, createMigrator, platformMigrations, runSeeders } from "@marg/core/db";
import { createPlatform, type Platform, type PlatformJobs } from "@marg/core/platform";
import type { AnyJobDefinition } from "@marg/core/queue";
import { rbacDefaultsSeeder } from "@marg/core/rbac";
import { createScratchRedisPrefix, createTempDir } from "@marg/core/testing";
import { createAppServer } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { FormBrowser } from "../../../../test/support/form-browser.js";
import type { LinksOverrides, LinksServices } from "../app-services.js";
import { flushClicks } from "../clicks/service.js";
import type { LinksTables } from "../db/schema.js";
import { createLinksApp } from "../index.js";

export const TEST_HOST = "links.marg.test";
export const TEST_PASSWORD = "correct horse battery staple";

/** One account per seeded role. */
export const ACCOUNTS = {
  admin: { email: "grace@marg.test", name: "Grace Admin", role: "admin" },
  member: { email: "linus@marg.test", name: "Linus Member", role: "member" },
  other: { email: "mia@marg.test", name: "Mia Member", role: "member" },
  viewer: { email: "vera@marg.test", name: "Vera Viewer", role: "viewer" },
} as const;

export type AccountName = keyof typeof ACCOUNTS;

export interface LinksTestServer {
  readonly port: number;
  readonly platform: Platform;
  readonly server: FastifyInstance;
  readonly runtime: LinksServices;
  readonly db: Kysely<LinksTables>;
  readonly userIds: Readonly<Record<AccountName, number>>;
  /** A browser with no cookies. */
  browser(): FormBrowser;
  /** A browser signed in as one of {@link ACCOUNTS}. */
  signIn(account: AccountName): Promise<FormBrowser>;
  /** What the `links:flush-clicks` job does, after this process's buffer is written. */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export async function startLinksTestServer(options: {
  label: string;
  redis?: boolean;
  overrides?: LinksOverrides;
  /** Job handlers for QUEUE_CONNECTION=sync; a function gets the app's platform (as the worker's handlers do). */
  jobs?: readonly AnyJobDefinition[] | PlatformJobs;
  /** LOG_LEVEL of the app; default silent (benchmarks measure request logging with info). */
  logLevel?: string;
}): Promise<LinksTestServer> {
  const root = createTempDir(options.label);
  const redis = options.redis ? createScratchRedisPrefix(options.label) : undefined;
  const shared: Record<string, string> = {
    APP_KEY: generateAppKey(),
    MARG_APPS: "flow,links,admin",
    MARG_DOMAIN: "marg.test",
    SESSION_DOMAIN: ".marg.test",
    SESSION_DRIVER: redis ? "redis" : "database",
    CACHE_STORE: redis ? "redis" : "database",
    QUEUE_CONNECTION: "sync",
    MAIL_MAILER: "log",
    LOG_LEVEL: options.logLevel ?? "silent",
    ...(redis ? { REDIS_PREFIX: redis.prefix } : {}),
  };
  writeFileSync(
    path.join(root.path, ".env.shared"),
    Object.entries(shared)
      .map(([name, value]) => `${name}=${value}`)
      .join("\n"),
  );
  let platform: Platform | undefined;
  try {
    let runtime: LinksServices | undefined;
    const definition = createLinksApp({
      ...options.overrides,
      onRuntime: (built) => {
        runtime = built;
      },
    });
    const config = loadConfig({
      app: "links",
      root: root.path,
      env: { APP_URL: `http://${TEST_HOST}` },
      appDefaults: { name: definition.title, database: definition.database },
    });
    const databases = createDatabases(config, { readReplicas: false });
    try {
      await createMigrator(
        () => databases,
        [...platformMigrations, ...(definition.migrations ?? [])],
      ).latest();
      await runSeeders([{ seeder: rbacDefaultsSeeder, source: "core", config, databases }]);
    } finally {
      await databases.destroy();
    }
    const started = await createPlatform(config, {
      hasher: new PasswordHasher({ params: ARGON2_INSECURE_TEST_PARAMS }),
      jobs: options.jobs ?? [],
    });
    platform = started;
    const userIds = {} as Record<AccountName, number>;
    for (const [name, account] of Object.entries(ACCOUNTS) as [
      AccountName,
      (typeof ACCOUNTS)[AccountName],
    ][]) {
      const user = await started.users.create({
        email: account.email,
        name: account.name,
        password: TEST_PASSWORD,
      });
      await started.rbac.assign(user.id, account.role);
      userIds[name] = user.id;
    }
    const server = await createAppServer(definition, started, {
      titles: { flow: "Flow", links: "Links", admin: "Admin" },
    });
    const address = await server.listen({ host: "127.0.0.1", port: 0 });
    const port = Number(new URL(address).port);
    if (runtime === undefined) throw new Error("the links app built no runtime");
    const built = runtime;
    const browser = () => new FormBrowser({ host: TEST_HOST, port });
    return {
      port,
      platform: started,
      server,
      runtime: built,
      db: started.databases.connection<LinksTables>("app"),
      userIds,
      browser,
      async signIn(account) {
        const signedIn = browser();
        const response = await signedIn.submit("/login", "/login", {
          email: ACCOUNTS[account].email,
          password: TEST_PASSWORD,
        });
        if (response.status !== 303) throw new Error(`sign-in as ${account} answered ${response.status}`);
        return signedIn;
      },
      async flush() {
        await built.counter.drain();
        await flushClicks({ db: started.databases.connection<LinksTables>("app"), redis: started.redis });
      },
      async close() {
        await server.close();
        await started.close();
        await redis?.clear();
        root.remove();
      },
    };
  } catch (error) {
    await platform?.close();
    await redis?.clear();
    root.remove();
    throw error;
  }
}
