// The MARG side of scenarios A–C, run by bench/run.ts as a child process: the
// flow app exactly as `marg serve flow` builds it (same config, platform, server,
// graceful shutdown), plus two routes that do what the peers do, so the ratio
// compares like with like:
//   GET /bench/signed-in  (B) signed in + `tasks.view` + a page in the shared layout
//   GET /bench/tasks      (C) B + one indexed query: the user's 20 newest tasks
// Scenario A is flow's own GET /login. Reads MARG_ROOT's .env files; listens on PORT.
// Run compiled (bench/targets/start-targets.ts builds it to bench/targets/dist/), so its
// `@marg/*` imports load the packages' dist/ and the RSS measured is production's.
import { defineApp } from "@marg/core/app";
import { loadConfig } from "@marg/core/config";
import { createAppServer } from "@marg/core/kernel";
import { createPlatform } from "@marg/core/platform";
import { html, installGracefulShutdown, requireAuth } from "@marg/core/web";
import { type FlowTables, app as flow } from "@marg/flow";

const root = process.env.MARG_ROOT ?? process.cwd();
const config = loadConfig({
  app: "flow",
  root,
  env: process.env,
  appDefaults: { name: flow.title, ...(flow.database === undefined ? {} : { database: flow.database }) },
});
const platform = await createPlatform(config);
const db = platform.databases.connection<FlowTables>("app");

const definition = defineApp({
  ...flow,
  async routes(app, ctx) {
    await flow.routes?.(app, ctx);
    const signedInWithPermission = [requireAuth, ctx.guards.requirePermission("tasks.view")];
    app.get("/bench/signed-in", { preHandler: signedInWithPermission }, async (request, reply) =>
      ctx.pages.page(request, reply, {
        title: "Bench",
        body: html`<section class="card"><h1>Hello, ${request.user?.name ?? ""}</h1><p>You may view tasks.</p></section>`,
      }),
    );
    app.get("/bench/tasks", { preHandler: signedInWithPermission }, async (request, reply) => {
      const rows = await db
        .selectFrom("tasks")
        .select(["id", "title", "status", "priority", "due_on"])
        .where("user_id", "=", request.user?.id ?? 0)
        .orderBy("id", "desc")
        .limit(20)
        .execute();
      return ctx.pages.page(request, reply, {
        title: "Bench tasks",
        body: html`<section class="card"><h1>Your tasks</h1><table><thead><tr><th>#</th><th>Title</th><th>Status</th><th>Priority</th><th>Due</th></tr></thead><tbody>${rows.map(
          (row) =>
            html`<tr><td>${row.id}</td><td>${row.title}</td><td>${row.status}</td><td>${row.priority}</td><td>${row.due_on ?? ""}</td></tr>`,
        )}</tbody></table></section>`,
      });
    });
  },
});

const server = await createAppServer(definition, platform, { titles: { flow: "Flow", links: "Links" } });
await server.listen({ host: "127.0.0.1", port: config.http.port });
installGracefulShutdown({
  apps: [server],
  closers: [{ name: "platform", close: () => platform.close() }],
  timeoutSeconds: config.http.shutdownTimeoutSeconds,
  logger: platform.logger,
});
