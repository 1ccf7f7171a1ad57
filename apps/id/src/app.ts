import { type AppContext, defineApp } from "@marg/core/app";
import { announceSessionsEnded, type Platform, type SessionsEndedEvent } from "@marg/core/platform";
import type { AnyJobDefinition, AnyJobSpec } from "@marg/core/queue";
import type { FastifyInstance, FastifyRequest } from "fastify";
import { createIdServices, type IdOverrides, type IdServices } from "./app-services.js";
import { ID_APP } from "./db/database.js";
import { idMigrations } from "./db/migrations.js";
import { registerInteractionRoutes } from "./interactions/routes.js";
import { registerProviderBridge } from "./provider/provider-bridge.js";
import { createPruneIdJob, createPruneIdSchedule, pruneIdSpec } from "./stores/prune-job.js";

/** Ends the MARG session of a request that asked the provider to sign out (RP-initiated logout). */
async function signOutOfMarg(platform: Platform, request: FastifyRequest): Promise<void> {
  const userId = await request.session.userId();
  // Read before destroy(), which forgets the store key the handle is derived from.
  const handle = request.session.handle;
  await request.session.destroy();
  if (userId === null) return;
  await platform.accountEvents.record({
    type: "sign-out",
    userId: Number(userId),
    ip: request.ip,
    app: platform.config.app.id,
  });
  // As core's POST /logout does: every app hears of it (this app's own hook ends the OIDC sessions left).
  if (handle !== undefined) {
    await announceSessionsEnded(platform, { userId: Number(userId), handles: [handle], reason: "sign-out" });
  }
}

/**
 * Contract 2's hook: MARG sessions ended (sign-out on any app, a device ended, the
 * user disabled, a password reset) ⇒ the OIDC sessions signed in from them end,
 * their clients get a back-channel logout and their grants are revoked.
 */
function endOidcSessions(platform: Platform) {
  let services: IdServices | undefined;
  return async (event: SessionsEndedEvent): Promise<void> => {
    services ??= createIdServices(platform);
    const ended = await services.ender.endForMargSessions(event);
    if (ended > 0) {
      platform.logger.info(
        { userId: event.userId, reason: event.reason, oidcSessions: ended },
        "OIDC sessions ended",
      );
    }
  };
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
    onSessionsEnded: endOidcSessions,
    dispatches: [pruneIdSpec] as readonly AnyJobSpec[],
    jobs: (platform): readonly AnyJobDefinition[] => [createPruneIdJob(platform)] as AnyJobDefinition[],
    schedules: (platform) => [createPruneIdSchedule(platform)],
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
