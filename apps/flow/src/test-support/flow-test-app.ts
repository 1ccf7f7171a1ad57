/**
 * The real flow app on a temp installation, for route tests: core's
 * startTestApp (SQLite under a temp folder, requests through Fastify's
 * `inject`) with one account per default role plus one with none, the memory
 * cache, and QUEUE_CONNECTION=sync so flow's jobs run at dispatch with handlers
 * bound to the same platform. `close()` stops it and deletes the folder.
 */
import { runSeeders } from "@marg/core/db";
import type { Platform } from "@marg/core/platform";
import { startTestApp, type TestClient } from "@marg/core/testing";
import type { FastifyInstance } from "fastify";
import { app } from "../app.js";
import { flowJobs } from "../jobs/flow-jobs.js";
import { demoTasksSeeder } from "../tasks/demo-seeder.js";

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
  readonly platform: Platform;
  readonly server: FastifyInstance;
  readonly storagePath: string;
  readonly userIds: Readonly<Record<PersonKey, number>>;
  /** A fresh client, signed in as `who` (or signed out for null). */
  browser(who: PersonKey | null): Promise<TestClient>;
  close(): Promise<void>;
}

export async function startFlowTestApp(options: {
  label: string;
  demoTasks?: boolean;
  /** More lines for `.env.shared` (e.g. REPORT_ATTACH_MAX_MB). */
  env?: Readonly<Record<string, string>>;
}): Promise<FlowTestApp> {
  const t = await startTestApp(app, {
    label: options.label,
    people: PEOPLE,
    env: { CACHE_STORE: "memory", QUEUE_CONNECTION: "sync", ...options.env },
    jobs: flowJobs,
  });
  try {
    if (options.demoTasks) {
      await runSeeders([
        { seeder: demoTasksSeeder, source: "flow", config: t.config, databases: t.platform.databases },
      ]);
    }
  } catch (error) {
    await t.close();
    throw error;
  }
  const userIds = Object.fromEntries(Object.entries(t.users).map(([key, user]) => [key, user.id])) as Record<
    PersonKey,
    number
  >;
  return {
    root: t.root,
    platform: t.platform,
    server: t.server,
    storagePath: t.config.storage.path,
    userIds,
    browser: async (who) => (who === null ? t.client() : t.signIn(who)),
    close: () => t.close(),
  };
}
