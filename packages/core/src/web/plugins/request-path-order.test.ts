import Fastify from "fastify";
import { describe, expect, it } from "vitest";
import { generateAppKey } from "../../config/index.js";
import { sessionPlugin } from "../../session/session-plugin.js";
import { sessionTestConfig } from "../../session/test-support/session-test-app.js";
import type { SessionStore } from "../../session/types.js";
import { bearerTokenPlugin } from "./bearer-token-plugin.js";
import { csrfPlugin } from "./csrf-plugin.js";
import { currentUserPlugin } from "./current-user-plugin.js";
import { originGuardPlugin } from "./origin-guard-plugin.js";
import { PLUGIN } from "./plugin-names.js";
import { requestScopePlugin } from "./request-scope-plugin.js";
import { standardHeadersPlugin } from "./standard-headers-plugin.js";
import { stickyReadsPlugin } from "./sticky-reads-plugin.js";

// The order is checked when the app starts, before any request: no store is ever read.
const unused = async (): Promise<never> => {
  throw new Error("no request reaches the store in these tests");
};
const store: SessionStore = {
  read: unused,
  write: unused,
  destroy: unused,
  touch: unused,
  listUserSessions: unused,
  destroyUserSessions: unused,
  sweepExpired: unused,
};
const createMemorySessionStore = () => store;

describe("the request path's order, as Fastify checks it", () => {
  it("refuses to start a plugin whose dependency is not registered before it", async () => {
    const app = Fastify();
    app.register(currentUserPlugin);
    await expect(app.ready()).rejects.toThrow(/session/);
  });

  it("refuses the bearer token before the current user is known", async () => {
    const config = sessionTestConfig({ APP_KEY: generateAppKey() });
    const app = Fastify();
    app.register(sessionPlugin, { config, store: createMemorySessionStore() });
    app.register(bearerTokenPlugin, {
      tokens: { authenticate: unused },
      appId: "flow",
      sessionCookie: "marg_session",
    });
    await expect(app.ready()).rejects.toThrow(/marg-current-user|decorator 'user'/);
  });

  it("refuses the CSRF check when the origin guard does not come first", async () => {
    const config = sessionTestConfig({ APP_KEY: generateAppKey() });
    const app = Fastify();
    app.register(sessionPlugin, { config, store: createMemorySessionStore() });
    app.register(csrfPlugin);
    await expect(app.ready()).rejects.toThrow(/marg-origin-guard/);
  });

  it("refuses a hook that must run before the session when the session is already there", async () => {
    const config = sessionTestConfig({ APP_KEY: generateAppKey() });
    const app = Fastify();
    app.register(standardHeadersPlugin, { csp: "default-src 'self'" });
    app.register(requestScopePlugin, { always: false });
    app.register(sessionPlugin, { config, store: createMemorySessionStore() });
    app.register(stickyReadsPlugin, { config });
    await expect(app.ready()).rejects.toThrow(/marg-sticky-reads must be registered before marg-session/);
  });

  it("starts the path in its declared order and knows every plugin by name", async () => {
    const config = sessionTestConfig({ APP_KEY: generateAppKey() });
    const app = Fastify();
    app.register(standardHeadersPlugin, { csp: "default-src 'self'" });
    app.register(requestScopePlugin, { always: false });
    app.register(stickyReadsPlugin, { config });
    app.register(sessionPlugin, { config, store: createMemorySessionStore() });
    app.register(originGuardPlugin, { origins: ["http://flow.marg.test"] });
    app.register(currentUserPlugin);
    app.register(bearerTokenPlugin, {
      tokens: { authenticate: unused },
      appId: "flow",
      sessionCookie: "marg_session",
    });
    app.register(csrfPlugin);
    await app.ready();
    for (const name of [
      PLUGIN.standardHeaders,
      PLUGIN.requestScope,
      PLUGIN.stickyReads,
      PLUGIN.session,
      PLUGIN.originGuard,
      PLUGIN.currentUser,
      PLUGIN.bearerToken,
      PLUGIN.csrf,
    ]) {
      expect(app.hasPlugin(name)).toBe(true);
    }
    await app.close();
  });
});
