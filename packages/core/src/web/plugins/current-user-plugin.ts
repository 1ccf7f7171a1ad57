import type { FastifyPluginCallback } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { loadCurrentUser } from "../current-user.js";
import { PLUGIN } from "./plugin-names.js";

/** `request.user`: the signed-in user from the session's snapshot, or null; loaded once, before any guard. */
const currentUser: FastifyPluginCallback = (app, _options, done) => {
  app.decorateRequest("user", null);
  app.addHook("preHandler", (request, _reply, next) => {
    // No cookie, no session: static files, /health and first visits never touch the store
    // (and, as a callback-style hook, do not even pay for a promise).
    if (request.headers.cookie === undefined) {
      request.user = null;
      next();
      return;
    }
    loadCurrentUser(request).then((user) => {
      request.user = user;
      next();
    }, next);
  });
  done();
};

export const currentUserPlugin = fastifyPlugin(currentUser, {
  name: PLUGIN.currentUser,
  fastify: "5.x",
  dependencies: [PLUGIN.session],
  decorators: { request: ["session"] },
});
