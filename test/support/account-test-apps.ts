/**
 * A temp MARG installation with real app servers for route tests: writes
 * `<temp>/.env.shared`, migrates core's databases (SQLite under `<temp>/storage`),
 * builds each app with createPlatform + createAppServer, and listens on port 0 of
 * 127.0.0.1. Apps share one installation, so they share the user and session
 * stores as separate processes would. `close()` stops the servers and deletes the folder.
 */
import { writeFileSync } from "node:fs";
import path from "node:path";
import { defineApp } from "@marg/core/app";
import { ARGON2_INSECURE_TEST_PARAMS, PasswordHasher, type User } from "@marg/core/auth";
import { generateAppKey, loadConfig, type MargConfig } from "@marg/core/config";
import { createDatabases, createMigrator } from "@marg/core/db";
import { coreMigrations, createAppServer } from "@marg/core/kernel";
import { createPlatform, type Platform, platformJobs } from "@marg/core/platform";
import { createJobRegistry, createWorker, SILENT_QUEUE_LOGGER } from "@marg/core/queue";
import { createTempDir } from "@marg/core/testing";
import type { FastifyInstance } from "fastify";
import { FormBrowser, type Site } from "./form-browser.js";

export const TEST_DOMAIN = "marg.test";
export const TEST_PASSWORD = "correct horse battery staple";
const TITLES: Record<string, string> = { flow: "Flow", links: "Links", admin: "Admin" };

export interface RunningAccountApp {
  readonly id: string;
  readonly site: Site;
  readonly platform: Platform;
  readonly server: FastifyInstance;
}

export interface AccountTestApps {
  readonly root: string;
  /** Where the log mailer writes its .eml files. */
  readonly mailDir: string;
  readonly apps: Readonly<Record<string, RunningAccountApp>>;
  /** A fresh browser (empty cookie jar) on `app` (default: the first app). */
  browser(app?: string): FormBrowser;
  /** Creates an account directly in the shared users table; the password is TEST_PASSWORD unless given. */
  createUser(user: { name: string; email: string; password?: string }): Promise<User>;
  /** Runs the queued mail-queue jobs as `marg work` would, so their .eml files exist; returns how many ran. */
  deliverMail(): Promise<number>;
  close(): Promise<void>;
}

/** Starts `apps` (default flow and links) on one temp installation; `env` adds to .env.shared. */
export async function startAccountTestApps(options: {
  label: string;
  apps?: readonly string[];
  env?: Readonly<Record<string, string>>;
}): Promise<AccountTestApps> {
  const ids = options.apps ?? ["flow", "links"];
  const root = createTempDir(options.label);
  const shared = {
    APP_KEY: generateAppKey(),
    MARG_APPS: ids.join(","),
    MARG_DOMAIN: TEST_DOMAIN,
    SESSION_DOMAIN: `.${TEST_DOMAIN}`,
    SESSION_DRIVER: "database",
    MAIL_MAILER: "log",
    LOG_LEVEL: "silent",
    ...options.env,
  };
  writeFileSync(
    path.join(root.path, ".env.shared"),
    Object.entries(shared)
      .map(([name, value]) => `${name}=${value}`)
      .join("\n"),
  );
  const hasher = new PasswordHasher({ params: ARGON2_INSECURE_TEST_PARAMS });
  const apps: Record<string, RunningAccountApp> = {};
  try {
    const configs = ids.map((id) =>
      loadConfig({ app: id, root: root.path, env: { APP_URL: `http://${id}.${TEST_DOMAIN}` } }),
    );
    await migrate(configs);
    for (const config of configs) {
      const id = config.app.id;
      const platform = await createPlatform(config, { hasher });
      const definition = defineApp({ id, title: TITLES[id] ?? id });
      const server = await createAppServer(definition, platform, { titles: TITLES });
      const address = await server.listen({ host: "127.0.0.1", port: 0 });
      const site = { host: `${id}.${TEST_DOMAIN}`, port: Number(new URL(address).port) };
      apps[id] = { id, site, platform, server };
    }
  } catch (error) {
    await closeAll(Object.values(apps));
    root.remove();
    throw error;
  }
  const first = apps[ids[0] ?? "flow"];
  if (first === undefined) throw new Error("startAccountTestApps needs at least one app");
  return {
    root: root.path,
    mailDir: path.join(first.platform.config.storage.path, "mail"),
    apps,
    browser: (app) => new FormBrowser((app === undefined ? first : appOf(apps, app)).site),
    createUser: (user) => first.platform.users.create({ ...user, password: user.password ?? TEST_PASSWORD }),
    deliverMail: () => deliverMail(first.platform),
    async close() {
      await closeAll(Object.values(apps));
      root.remove();
    },
  };
}

function appOf(apps: Record<string, RunningAccountApp>, id: string): RunningAccountApp {
  const app = apps[id];
  if (app === undefined) throw new Error(`no app ${id} was started`);
  return app;
}

/** Core's migrations: the shared sets once, the per-app (`app` connection) sets for each app. */
async function migrate(configs: readonly MargConfig[]): Promise<void> {
  for (const [index, config] of configs.entries()) {
    const sets = coreMigrations.filter((set) => set.connection === "app" || index === 0);
    const databases = createDatabases(config, { readReplicas: false });
    try {
      await createMigrator(() => databases, sets).latest();
    } finally {
      await databases.destroy();
    }
  }
}

/**
 * The account pages queue their mail (mail.send, or account.signup, which queues a
 * mail.send of its own); workers limited to what is waiting run it, round after
 * round, until the mail queue is empty. Returns how many jobs ran.
 */
async function deliverMail(platform: Platform): Promise<number> {
  let ran = 0;
  for (;;) {
    const counts = await platform.queueBackend.counts();
    const waiting = counts.filter((c) => c.queue === "mail").reduce((sum, c) => sum + c.waiting, 0);
    if (waiting === 0) return ran;
    const worker = createWorker({
      backend: platform.queueBackend,
      queue: platform.queue,
      registry: createJobRegistry(platformJobs(platform)),
      logger: SILENT_QUEUE_LOGGER,
      options: { queues: ["mail"], maxJobs: waiting, sleepSeconds: 0.05 },
    });
    await worker.stopped;
    ran += waiting;
  }
}

async function closeAll(apps: readonly RunningAccountApp[]): Promise<void> {
  for (const app of apps) {
    await app.server.close();
    await app.platform.close();
  }
}
