import path from "node:path";
import { DEMO_PASSWORD, DEMO_USERS } from "@marg/core/auth";
import { createKernel } from "@marg/core/kernel";
import type { CliContext } from "../cli-context.js";
import { EXIT } from "../exit-codes.js";
import { ensureSharedEnv } from "./ensure-shared-env.js";

/** What `marg dev` runs (loaded by its action, so `marg --help` does not load the platform). */
export async function runDev(ctx: CliContext, options: { seed: boolean }): Promise<number> {
  const out = ctx.output(false);
  const colors = out.colors;
  const shared = ensureSharedEnv(ctx.root);
  if (shared.created)
    out.note(`Created ${path.relative(ctx.root, shared.file)} with a new APP_KEY (mode 600).`);
  const installation = ctx.config();
  const kernel = createKernel({ root: ctx.root, env: ctx.env });
  // Every pending migration, then the (idempotent) seeders, so a fresh checkout shows demo
  // data and a used one keeps its own. --no-seed skips the demo seeders; default roles and
  // permissions are still seeded, since no app works without them.
  out.note("Preparing databases…");
  const migrated = await kernel.migrate();
  await kernel.seed({ demo: options.seed, log: (line) => out.note(`  ${line}`) });
  if (migrated.length > 0) out.note(`  ran ${migrated.length} migration(s)`);

  const { apps: built } = await kernel.frontDoor();

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
