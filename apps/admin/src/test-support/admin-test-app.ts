/**
 * The real admin app with flow (core pages only) beside it, on core's test
 * installation (`startTestApp`): both share the user and session stores, as
 * separate processes would; the demo people by role (ada, grace, linus, vera).
 * A database queue sits behind the dashboard unless `queue: false` (a process
 * without a queue connection). Requests go through `inject`; `listen: true`
 * serves both on loopback sockets, for the health overview, which asks each
 * app's /health over HTTP.
 */
import { defineApp } from "@marg/core/app";
import { type DEMO_PEOPLE, type RunningTestApp, startTestApp, type TestApp } from "@marg/core/testing";
import type { Kysely } from "kysely";
import { createAdminApp } from "../app.js";
import type { AdminDatabase } from "../database.js";
import type { AdminQueue } from "../queues/queue.js";

export { TEST_PASSWORD } from "@marg/core/testing";

export interface AdminTestApp extends TestApp<keyof typeof DEMO_PEOPLE> {
  readonly admin: RunningTestApp;
  readonly flow: RunningTestApp;
  /** marg-rbac, as admin sees it: users, roles, audit log, queue tables. */
  readonly db: Kysely<AdminDatabase>;
  /** The database queue the dashboard shows. */
  readonly queue: AdminQueue;
  /** Sets where admin's health overview finds an app (default: the served apps' sockets). */
  setAppUrl(id: string, url: string): void;
}

export async function startAdminTestApp(
  label: string,
  options: { queue?: boolean; listen?: boolean; redis?: boolean } = {},
): Promise<AdminTestApp> {
  const appUrls = new Map<string, string>();
  const definition = createAdminApp({
    appUrl: (_config, id) => appUrls.get(id) ?? `http://127.0.0.1:9/${id}`,
    queue: (platform) => (options.queue === false ? undefined : platform.queue),
    healthTimeoutMs: 1500,
  });
  const t = await startTestApp(definition, {
    label,
    alongside: [defineApp({ id: "flow", title: "Flow" })],
    installed: { flow: "Flow", admin: "Admin" },
    listen: options.listen ?? false,
    redis: options.redis ?? false,
  });
  for (const [id, app] of Object.entries(t.apps)) if (app.url !== undefined) appUrls.set(id, app.url);
  const flow = t.apps.flow;
  if (flow === undefined) throw new Error("flow was not served");
  return {
    ...t,
    admin: t,
    flow,
    db: t.platform.databases.connection<AdminDatabase>("rbac"),
    queue: t.platform.queue,
    setAppUrl: (id, url) => appUrls.set(id, url),
  };
}
