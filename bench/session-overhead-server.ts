// The server half of bench/session-overhead.bench.ts, run by it as a child process:
// the flow app of the installation at MARG_ROOT (its .env.shared names the session
// driver), built as `marg serve` builds it, plus one page that renders the same
// for everyone: GET /bench/page. Listens on 127.0.0.1:PORT and prints "listening".
// Reads: MARG_ROOT's .env.shared and databases. Writes: nothing but its sessions.
import { defineApp } from "@marg/core/app";
import { loadConfig } from "@marg/core/config";
import { createAppServer } from "@marg/core/kernel";
import { createPlatform } from "@marg/core/platform";
import { html } from "@marg/core/web";

const root = process.env.MARG_ROOT ?? process.cwd();
const config = loadConfig({ app: "flow", root, env: process.env, appDefaults: { name: "Flow" } });
const platform = await createPlatform(config);

// A small page in the shared layout, no queries: what differs between a visitor and a
// signed-in user is only the session (loaded, decrypted, the user menu and a CSRF token).
const definition = defineApp({
  id: "flow",
  title: "Flow",
  routes(app, { pages }) {
    app.get("/bench/page", async (request, reply) =>
      pages.page(request, reply, {
        title: "Bench",
        body: html`<section class="card"><h1>Bench</h1><p>The same body for every visitor.</p></section>`,
      }),
    );
  },
});

const server = await createAppServer(definition, platform, { titles: { flow: "Flow" } });
await server.listen({ host: "127.0.0.1", port: config.http.port });
process.stdout.write("listening\n");

const stop = async () => {
  await server.close();
  await platform.close();
  process.exit(0);
};
process.once("SIGTERM", stop);
process.once("SIGINT", stop);
