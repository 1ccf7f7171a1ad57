/**
 * A temp MARG installation with flow (core pages only) and the real admin app,
 * for admin's route tests: writes `<temp>/.env.shared`, migrates core's tables,
 * the queue tables and admin's audit log into SQLite under `<temp>/storage`,
 * seeds the default roles and the four demo users (cheap hashing), and serves
 * both apps on port 0 of 127.0.0.1. Both share the user and session stores, as
 * separate processes would. A database queue sits behind the dashboard unless
 * `queue: false` (a process without a queue connection).
 * `close()` stops everything and deletes the folder.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { defineApp, type MargAppDefinition } from "@marg/core/app";
import { ARGON2_INSECURE_TEST_PARAMS, DEMO_USERS, PasswordHasher, type User } from "@marg/core/auth";
import { generateAppKey, loadConfig, type MargConfig } from "@marg/core/config";
import { createDatabases, createMigrator } from "@marg/core/db";
import { coreMigrations } from "@marg/core/kernel";
import { createPlatform, type Platform } from "@marg/core/platform";
import { assignDemoRoles, RbacRepository, type RbacTables, seedRbacDefaults } from "@marg/core/rbac";
import { createTempDir } from "@marg/core/testing";
import { createAppServer } from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import type { Kysely } from "kysely";
import { FormBrowser, type Site } from "../../../../test/support/form-browser.js";
import { createAdminApp } from "../admin-app.js";
import type { AdminDatabase } from "../admin-database.js";
import { auditMigrations } from "../audit/audit-migrations.js";
import type { AdminQueue } from "../queues/admin-queue.js";

export const TEST_DOMAIN = "marg.test";
export const TEST_PASSWORD = "correct horse battery staple";
const TITLES = { flow: "Flow", admin: "Admin" };

export interface RunningApp {
  readonly site: Site;
  readonly platform: Platform;
  readonly server: FastifyInstance;
}

export type DemoRole = "super-admin" | "admin" | "member" | "viewer";

export interface AdminTestApps {
  readonly admin: RunningApp;
  readonly flow: RunningApp;
  /** marg-rbac, as admin sees it: users, roles, audit log, queue tables. */
  readonly db: Kysely<AdminDatabase>;
  /** The database queue the dashboard shows. */
  readonly queue: AdminQueue;
  /** The demo users by role: ada (super-admin), grace (admin), linus (member), vera (viewer). */
  readonly users: Readonly<Record<DemoRole, User>>;
  /** A fresh browser (empty cookie jar) on admin, or on flow. */
  browser(app?: "admin" | "flow"): FormBrowser;
  /** A browser signed in as `email` (password TEST_PASSWORD) on `app`. */
  signIn(email: string, app?: "admin" | "flow"): Promise<FormBrowser>;
  /** Sets where admin's health overview finds an app (default: the running test apps). */
  setAppUrl(id: string, url: string): void;
  close(): Promise<void>;
}

export async function startAdminTestApps(
  label: string,
  options: { queue?: boolean } = {},
): Promise<AdminTestApps> {
  const root = createTempDir(label);
  writeFileSync(
    path.join(root.path, ".env.shared"),
    Object.entries({
      APP_KEY: generateAppKey(),
      MARG_APPS: "flow,admin",
      MARG_DOMAIN: TEST_DOMAIN,
      SESSION_DOMAIN: `.${TEST_DOMAIN}`,
      SESSION_DRIVER: "database",
      CACHE_STORE: "database",
      QUEUE_CONNECTION: "database",
      MAIL_MAILER: "log",
      LOG_LEVEL: "silent",
    })
      .map(([name, value]) => `${name}=${value}`)
      .join("\n"),
  );
  const hasher = new PasswordHasher({ params: ARGON2_INSECURE_TEST_PARAMS });
  const appUrls = new Map<string, string>();
  const closers: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const closeOne of closers.reverse()) await closeOne();
    root.remove();
  };
  try {
    const config = (id: string, definition: MargAppDefinition) =>
      loadConfig({
        app: id,
        root: root.path,
        env: { APP_URL: `http://${id}.${TEST_DOMAIN}` },
        appDefaults: {
          name: definition.title,
          ...(definition.database ? { database: definition.database } : {}),
        },
      });
    const flowDefinition = defineApp({ id: "flow", title: "Flow" });
    const adminDefinition = createAdminApp({
      appUrl: (_config, id) => appUrls.get(id) ?? `http://127.0.0.1:9/${id}`,
      queue: (platform) => (options.queue === false ? undefined : platform.queue),
      healthTimeoutMs: 1500,
    });
    const flowConfig = config("flow", flowDefinition);
    const adminConfig = config("admin", adminDefinition);
    await migrate(flowConfig, adminConfig);

    const start = async (definition: MargAppDefinition, appConfig: MargConfig): Promise<RunningApp> => {
      const platform = await createPlatform(appConfig, { hasher });
      closers.push(() => platform.close());
      // As `marg serve` does: every app's switcher knows what opens admin.
      const access = { admin: adminDefinition.access };
      const server = await createAppServer(definition, platform, { titles: TITLES, access });
      closers.push(() => server.close());
      const address = await server.listen({ host: "127.0.0.1", port: 0 });
      const port = Number(new URL(address).port);
      appUrls.set(definition.id, `http://127.0.0.1:${port}`);
      return { site: { host: `${definition.id}.${TEST_DOMAIN}`, port }, platform, server };
    };
    const flow = await start(flowDefinition, flowConfig);
    const admin = await start(adminDefinition, adminConfig);
    const users = await seed(admin.platform);
    const db = admin.platform.databases.connection<AdminDatabase>("rbac");
    const browser = (app: "admin" | "flow" = "admin") =>
      new FormBrowser((app === "admin" ? admin : flow).site);
    return {
      admin,
      flow,
      db,
      queue: admin.platform.queue,
      users,
      browser,
      async signIn(email, app = "admin") {
        const signedIn = browser(app);
        const response = await signedIn.submit("/login", "/login", { email, password: TEST_PASSWORD });
        if (response.status !== 303) throw new Error(`sign-in of ${email} answered ${response.status}`);
        return signedIn;
      },
      setAppUrl: (id, url) => appUrls.set(id, url),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}

/** Core's sets (queue tables included) and admin's own, in one run (as `marg migrate` does: it checks the whole database). */
async function migrate(flowConfig: MargConfig, adminConfig: MargConfig): Promise<void> {
  const flowDatabases = createDatabases(flowConfig, { readReplicas: false });
  const adminDatabases = createDatabases(adminConfig, { readReplicas: false });
  try {
    await createMigrator(
      (set) => (set === auditMigrations ? adminDatabases : flowDatabases),
      [...coreMigrations, auditMigrations],
    ).latest();
  } finally {
    await flowDatabases.destroy();
    await adminDatabases.destroy();
  }
}

/** Default roles and the demo users with their roles, hashed cheaply. */
async function seed(platform: Platform): Promise<Record<DemoRole, User>> {
  const repo = new RbacRepository(platform.databases.connection<RbacTables>("rbac"));
  await seedRbacDefaults(repo);
  const users: Partial<Record<DemoRole, User>> = {};
  for (const demo of DEMO_USERS) {
    users[demo.role] = await platform.users.create({
      email: demo.email,
      name: demo.name,
      password: TEST_PASSWORD,
    });
  }
  const all = users as Record<DemoRole, User>;
  await assignDemoRoles(repo, {
    "super-admin": [all["super-admin"].id],
    admin: [all.admin.id],
    member: [all.member.id],
    viewer: [all.viewer.id],
  });
  await platform.rbac.invalidateCache();
  return all;
}
