/**
 * The real flow app on a temp installation, for route tests: writes
 * `<temp>/.env.shared` (SQLite under `<temp>/storage`, QUEUE_CONNECTION=sync so
 * flow's jobs run at dispatch), migrates core's and flow's databases, seeds
 * the default roles and one user per role (cheap argon2), builds the app with
 * createPlatform + createAppServer and listens on 127.0.0.1:0.
 * `close()` stops the server and deletes the folder.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { ARGON2_INSECURE_TEST_PARAMS, PasswordHasher } from "@marg/core/auth";
import { generateAppKey, loadConfig } from "@marg/core/config";
import { createDatabases, createMigrator, platformMigrations, runSeeders } from "@marg/core/db";
import { createPlatform, type Platform } from "@marg/core/platform";
import { assignDemoRoles, RbacRepository, type RbacTables, seedRbacDefaults } from "@marg/core/rbac";
import { createTempDir } from "@marg/core/testing";
import { createAppServer } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import { FormBrowser, type Site } from "../../../../test/support/form-browser.js";
import { flowMigrations } from "../flow-migrations.js";
import { app } from "../index.js";
import { flowJobs } from "../jobs/flow-jobs.js";
import { demoTasksSeeder } from "../tasks/demo-seeder.js";

export const TEST_DOMAIN = "marg.test";
export const TEST_PASSWORD = "correct horse battery staple";

/** One account per default role, plus one with no role at all. */
export const PEOPLE = {
  ada: { email: "ada@marg.localhost", name: "Ada Lovelace", role: "super-admin" },
  grace: { email: "grace@marg.localhost", name: "Grace Hopper", role: "admin" },
  linus: { email: "linus@marg.localhost", name: "Linus Member", role: "member" },
  vera: { email: "vera@marg.localhost", name: "Vera Viewer", role: "viewer" },
  nora: { email: "nora@marg.test", name: "Nora Norole", role: null },
} as const;
export type PersonKey = keyof typeof PEOPLE;

export interface FlowTestApp {
  readonly root: string;
  readonly site: Site;
  readonly platform: Platform;
  readonly server: FastifyInstance;
  readonly storagePath: string;
  readonly userIds: Readonly<Record<PersonKey, number>>;
  /** A fresh browser, signed in as `who` (or signed out for null). */
  browser(who: PersonKey | null): Promise<FormBrowser>;
  close(): Promise<void>;
}

export async function startFlowTestApp(options: {
  label: string;
  demoTasks?: boolean;
  /** More lines for `.env.shared` (e.g. REPORT_ATTACH_MAX_MB). */
  env?: Readonly<Record<string, string>>;
}): Promise<FlowTestApp> {
  const root = createTempDir(options.label);
  const env = {
    APP_KEY: generateAppKey(),
    MARG_APPS: "flow",
    MARG_DOMAIN: TEST_DOMAIN,
    SESSION_DOMAIN: `.${TEST_DOMAIN}`,
    SESSION_DRIVER: "database",
    CACHE_STORE: "memory",
    QUEUE_CONNECTION: "sync",
    MAIL_MAILER: "log",
    LOG_LEVEL: "silent",
    ...options.env,
  };
  writeFileSync(
    path.join(root.path, ".env.shared"),
    Object.entries(env)
      .map(([name, value]) => `${name}=${value}`)
      .join("\n"),
  );
  const config = loadConfig({
    app: "flow",
    root: root.path,
    env: { APP_URL: `http://flow.${TEST_DOMAIN}` },
    appDefaults: { name: app.title, database: app.database },
  });
  let platform: Platform | undefined;
  let handlerPlatform: Platform | undefined;
  let server: FastifyInstance | undefined;
  try {
    const databases = createDatabases(config, { readReplicas: false });
    try {
      await createMigrator(() => databases, [...platformMigrations, ...flowMigrations]).latest();
      await seedRbacDefaults(new RbacRepository(databases.connection<RbacTables>("rbac")));
    } finally {
      await databases.destroy();
    }
    const hasher = new PasswordHasher({ params: ARGON2_INSECURE_TEST_PARAMS });
    // QUEUE_CONNECTION=sync runs jobs inside dispatch() and needs their handlers when the
    // platform is made; the handlers need a platform: a second one over the same files serves them.
    handlerPlatform = await createPlatform(config, { hasher, jobs: [] });
    platform = await createPlatform(config, { hasher, jobs: flowJobs(handlerPlatform) });
    const userIds = {} as Record<PersonKey, number>;
    const roles: Record<string, number[]> = {};
    for (const [key, person] of Object.entries(PEOPLE) as [PersonKey, (typeof PEOPLE)[PersonKey]][]) {
      const user = await platform.users.create({
        email: person.email,
        name: person.name,
        password: TEST_PASSWORD,
      });
      userIds[key] = user.id;
      if (person.role !== null) roles[person.role] = [user.id];
    }
    await assignDemoRoles(new RbacRepository(platform.databases.connection<RbacTables>("rbac")), roles);
    if (options.demoTasks) {
      await runSeeders([{ seeder: demoTasksSeeder, source: "flow", config, databases: platform.databases }]);
    }
    server = await createAppServer(app, platform, { titles: { flow: app.title } });
    const address = await server.listen({ host: "127.0.0.1", port: 0 });
    const site: Site = { host: `flow.${TEST_DOMAIN}`, port: Number(new URL(address).port) };
    const running = { platform, server, handlerPlatform };
    return {
      root: root.path,
      site,
      platform,
      server,
      storagePath: config.storage.path,
      userIds,
      async browser(who) {
        const browser = new FormBrowser(site);
        if (who === null) return browser;
        const response = await browser.submit("/login", "/login", {
          email: PEOPLE[who].email,
          password: TEST_PASSWORD,
        });
        if (response.status !== 303) throw new Error(`signing in as ${who} answered ${response.status}`);
        return browser;
      },
      async close() {
        await running.server.close();
        await running.platform.close();
        await running.handlerPlatform.close();
        root.remove();
      },
    };
  } catch (error) {
    await server?.close();
    await platform?.close();
    await handlerPlatform?.close();
    root.remove();
    throw error;
  }
}
