import path from "node:path";
import { DEMO_PASSWORD, DEMO_USERS } from "@marg/core/auth";
import {
  createAppDirectoryFallback,
  createHostRouter,
  installGracefulShutdown,
  type ShutdownCloser,
} from "@marg/core/web";
import type { FastifyInstance } from "fastify";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { appTitles, type BuiltApp, buildApp } from "../runtime/build-app.js";
import { ensureSharedEnv } from "../runtime/ensure-shared-env.js";
import { startInProcessWorker } from "../runtime/in-process-worker.js";
import { prepareDatabases } from "../runtime/prepare-databases.js";

/** What `marg dev` runs (loaded by its action, so `marg --help` does not load the platform). */
export async function runDev(ctx: CliContext, options: { seed: boolean }): Promise<number> {
  const out = ctx.output(false);
  const colors = out.colors;
  const shared = ensureSharedEnv(ctx.root);
  if (shared.created)
    out.note(`Created ${path.relative(ctx.root, shared.file)} with a new APP_KEY (mode 600).`);
  const installation = ctx.config();
  const ids = installation.app.apps;
  out.note("Preparing databases…");
  const { migrated } = await prepareDatabases(
    ctx,
    ids,
    options.seed ? (line) => out.note(`  ${line}`) : () => {},
  );
  if (migrated > 0) out.note(`  ran ${migrated} migration(s)`);

  const titles = await appTitles(ctx.root, ids);
  const built: BuiltApp[] = [];
  try {
    for (const id of ids) built.push(await buildApp({ root: ctx.root, env: ctx.env, id, titles }));
  } catch (error) {
    await Promise.all(built.map((app) => app.platform.close()));
    throw error;
  }
  const byHost: Record<string, FastifyInstance> = {};
  for (const app of built) byHost[new URL(app.config.app.url).hostname] = app.server;
  const router = await createHostRouter({
    apps: byHost,
    fallback: createAppDirectoryFallback(
      built.map((app) => ({ name: app.definition.title, url: app.config.app.url })),
    ),
  });
  const { host, port } = installation.http;
  await new Promise<void>((resolve, reject) => {
    router.once("error", reject);
    router.listen(port, host, () => resolve());
  });
  const logger = built[0]?.platform.logger;
  const closers: ShutdownCloser[] = [];
  // The worker stops first (finishing its jobs), then the apps' services close.
  if (installation.queue.connection !== "sync")
    closers.push(await startInProcessWorker(ctx.root, installation));
  closers.push(...built.map((app) => ({ name: app.definition.id, close: () => app.platform.close() })));
  if (logger !== undefined) {
    installGracefulShutdown({
      servers: [router],
      apps: built.map((app) => app.server),
      closers,
      timeoutSeconds: installation.http.shutdownTimeoutSeconds,
      logger,
    });
  }

  out.line("");
  out.line(colors.bold("MARG is running") + colors.dim(` (phase 1: ${describeDrivers(installation)})`));
  for (const app of built)
    out.line(`  ${app.definition.title.padEnd(8)} ${colors.cyan(`${app.config.app.url}/`)}`);
  if (!installation.app.production && options.seed) {
    out.line("");
    out.line(`Sign in with any demo account, password ${colors.bold(DEMO_PASSWORD)}:`);
    for (const user of DEMO_USERS) out.line(`  ${user.email.padEnd(24)} ${colors.dim(user.role)}`);
  }
  out.line("");
  out.line(
    colors.dim(
      `Mail is written to ${path.relative(ctx.root, path.join(installation.storage.path, "mail"))}/. Ctrl-C stops.`,
    ),
  );
  await new Promise(() => {});
  return EXIT.OK;
}

function describeDrivers(config: ReturnType<CliContext["config"]>): string {
  const db = config.db.connections.rbac.driver === "sqlite" ? "embedded SQLite" : "MySQL";
  const redis = config.redis.required ? ` + Redis ${config.redis.host}:${config.redis.port}` : "";
  return `${db}${redis}, sessions=${config.session.driver}, queue=${config.queue.connection}`;
}
