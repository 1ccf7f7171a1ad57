import { type AppContext, defineApp } from "@marg/core/app";
import type { Platform } from "@marg/core/platform";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { createIdServices, type IdOverrides, type IdServices } from "./app-services.js";
import { ID_APP } from "./db/database.js";
import { idMigrations } from "./db/migrations.js";
import { registerInteractionRoutes } from "./interactions/routes.js";
import { registerProviderBridge } from "./provider/provider-bridge.js";

/** Ends the MARG session of a request that asked the provider to sign out (RP-initiated logout). */
async function signOutOfMarg(platform: Platform, request: FastifyRequest): Promise<void> {
  const userId = await request.session.userId();
  await request.session.destroy();
  if (userId !== null) {
    await platform.accountEvents.record({
      type: "sign-out",
      userId: Number(userId),
      ip: request.ip,
      app: platform.config.app.id,
    });
  }
}

/**
 * id.marg — MARG as an OpenID Connect provider (oidc-provider inside Fastify).
 * Sign-in is the MARG session; clients come from core's registry; grants, codes
 * and sessions live in Redis when the installation has it, else in id_db.
 * `createIdApp(overrides)` builds it with replaced parts (tests); `onRuntime`
 * hands out the services it built.
 */
export function createIdApp(overrides: IdOverrides & { onRuntime?: (services: IdServices) => void } = {}) {
  return defineApp({
    id: ID_APP.id,
    title: ID_APP.title,
    database: ID_APP.database,
    migrations: [idMigrations],
    async routes(app: FastifyInstance, ctx: AppContext) {
      const services = createIdServices(ctx.platform, overrides);
      overrides.onRuntime?.(services);
      await registerProviderBridge(app, {
        runtime: services.runtime,
        pages: ctx.pages,
        signOut: (request) => signOutOfMarg(ctx.platform, request),
      });
      registerInteractionRoutes(app, {
        runtime: services.runtime,
        clients: services.clients,
        ender: services.ender,
        pages: ctx.pages,
      });
    },
  });
}

export const app = createIdApp();
