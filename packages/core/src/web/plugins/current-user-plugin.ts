import type { FastifyPluginCallback } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { currentUserHook } from "../current-user.js";
import { PLUGIN } from "./plugin-names.js";

/** `request.user`: the signed-in user from the session's snapshot, or null; loaded once, before any guard. */
const currentUser: FastifyPluginCallback = (app, _options, done) => {
  app.decorateRequest("user", null);
  app.addHook("preHandler", currentUserHook);
  done();
};

export const currentUserPlugin = fastifyPlugin(currentUser, {
  name: PLUGIN.currentUser,
  fastify: "5.x",
  dependencies: [PLUGIN.session],
  decorators: { request: ["session"] },
});
