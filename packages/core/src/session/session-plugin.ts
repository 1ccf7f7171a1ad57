import fastifyCookie from "@fastify/cookie";
import type { FastifyPluginAsync, FastifyReply } from "fastify";
import fastifyPlugin from "fastify-plugin";
import type { MargConfig } from "../config/config-types.js";
import { RequestSession } from "./request-session.js";
import { SessionKeyRing } from "./session-keys.js";
import { resolveSessionSettings, type SessionSettings, type SessionTuning } from "./session-settings.js";
import type { SessionCookieJar, SessionRuntime } from "./session-state.js";
import type { Session, SessionLogger, SessionStore } from "./types.js";
import { VerifiedCookieCache } from "./verified-cookies.js";

declare module "fastify" {
  interface FastifyRequest {
    /** This request's session; loads on first use. */
    session: Session;
  }
}

export interface SessionPluginOptions {
  readonly config: MargConfig;
  /** The shared store every app of the installation uses (see `createSessionStore`). */
  readonly store: SessionStore;
  /** Where session events go; default: the app's logger. */
  readonly logger?: SessionLogger;
  /** Shorter lifetimes for tests. */
  readonly tuning?: SessionTuning;
}

/** The plugin's name, which plugins that read `request.session` list as a dependency. */
export const SESSION_PLUGIN = "marg-session";

/**
 * Gives every request a lazily loaded `request.session`, saved in onSend only if
 * it changed. Registers @fastify/cookie if the app has not. Register it on the root
 * instance (`app.register(sessionPlugin, options)`); as a fastify-plugin named
 * `marg-session` it is not encapsulated, and plugins that need it declare it.
 *
 * @example
 * await app.register(sessionPlugin, { config, store: await createSessionStore(config, { redis }) });
 * app.post("/sign-in", async (request) => {
 *   await request.session.assertCsrfToken(body._csrf);
 *   await request.session.signIn(user.id);
 * });
 */
const plugin: FastifyPluginAsync<SessionPluginOptions> = async (app, options) => {
  if (!app.hasPlugin("@fastify/cookie")) await app.register(fastifyCookie);
  const { config } = options;
  const settings = resolveSessionSettings(config.session, options.tuning);
  const ring = new SessionKeyRing(
    config.app.key.reveal(),
    config.app.previousKeys.map((key) => key.reveal()),
  );
  const runtime: SessionRuntime = {
    store: options.store,
    appId: config.app.id,
    settings,
    ring,
    logger: options.logger ?? app.log,
    cookies: new VerifiedCookieCache({ ring, encrypt: settings.encrypt, idleMs: settings.idleMs }),
  };
  app.decorateRequest<Session | null>("session", null);
  // Callback-style hooks, not async ones: most requests never touch their session
  // (assets, redirects, anonymous pages), and they should not pay a promise for it.
  app.addHook("onRequest", (request, _reply, done) => {
    request.session = new RequestSession(runtime, request.headers.cookie, { reqId: request.id }, request);
    done();
  });
  app.addHook("onSend", (request, reply, payload, done) => {
    const session = request.session;
    if (!(session instanceof RequestSession) || !session.used) {
      done(null, payload);
      return;
    }
    session.commit(cookieJar(reply, settings)).then(
      () => done(null, payload),
      (error: unknown) => {
        // commitSession already logs store failures; this is the last guard against a 500.
        const reason = error instanceof Error ? error.message : String(error);
        runtime.logger.error({ reqId: request.id, reason }, "session save failed");
        done(null, payload);
      },
    );
  });
};

function cookieJar(reply: FastifyReply, settings: SessionSettings): SessionCookieJar {
  const attributes = {
    path: settings.path,
    httpOnly: true,
    sameSite: "lax",
    secure: settings.secure,
    ...(settings.domain === undefined ? {} : { domain: settings.domain }),
  } as const;
  return {
    set: (value, maxAge) => reply.setCookie(settings.cookieName, value, { ...attributes, maxAge }),
    clear: () => reply.clearCookie(settings.cookieName, attributes),
  };
}

export const sessionPlugin = fastifyPlugin(plugin, { name: SESSION_PLUGIN, fastify: "5.x" });
