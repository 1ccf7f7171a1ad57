import type { FastifyPluginAsync } from "fastify";
import fastifyPlugin from "fastify-plugin";
import type { MargConfig } from "../../config/config-types.js";
import { currentRequestScope } from "../../context/index.js";
import { PLUGIN } from "./plugin-names.js";
import { registerBefore } from "./plugin-order.js";

const STICKY_KEY = "db:sticky";

interface StickyRecord {
  readonly until: number;
  readonly connections: string[];
}

/**
 * DB_STICKY_WINDOW: after a signed-in request wrote, that user's next requests
 * read from the primary for the window (remembered in the session), so they see
 * their own write on any process. Off unless some connection is sticky and has
 * read replicas. Registered before the session plugin, so its onSend runs before
 * the session is saved; it reads `request.session` only while a request runs.
 */
// Async, so a refusal of the order rejects the registration (a callback plugin would hang).
const stickyReads: FastifyPluginAsync<{ readonly config: MargConfig }> = async (app, { config }) => {
  registerBefore(app, PLUGIN.stickyReads, PLUGIN.session);
  const windowMs = config.db.connections.app.stickyWindowSeconds * 1000;
  const replicated = Object.values(config.db.connections).some((c) => c.sticky && c.readHosts.length > 0);
  if (windowMs > 0 && replicated) {
    app.addHook("onSend", async (request) => {
      const wrote = [...(currentRequestScope()?.wroteTo ?? [])];
      // No session when maintenance mode answered before the session plugin ran.
      if (wrote.length === 0 || request.headers.cookie === undefined || request.session === undefined) return;
      if ((await request.session.userId()) === null) return;
      const record: StickyRecord = { until: Date.now() + windowMs, connections: wrote };
      await request.session.set(STICKY_KEY, record);
    });
    app.addHook("preHandler", async (request) => {
      if (request.headers.cookie === undefined) return;
      const sticky = (await request.session.get<StickyRecord>(STICKY_KEY)) ?? undefined;
      const scope = currentRequestScope();
      if (sticky === undefined || scope === undefined || !(sticky.until > Date.now())) return;
      for (const name of sticky.connections) scope.stickyFrom.add(name);
    });
  }
};

export const stickyReadsPlugin = fastifyPlugin(stickyReads, {
  name: PLUGIN.stickyReads,
  fastify: "5.x",
  dependencies: [PLUGIN.requestScope],
});
