/**
 * A bare Fastify app with the session plugin and routes that exercise it, on a
 * real socket. Config comes from loadConfig, as in production.
 */
import { writeFileSync } from "node:fs";
import Fastify from "fastify";
import pino from "pino";
import type { MargConfig } from "../../config/config-types.js";
import { loadConfig } from "../../config/load-config.js";
import { createTempDir } from "../../testing/temp-dir.js";
import { sessionPlugin } from "../session-plugin.js";
import type { SessionTuning } from "../session-settings.js";
import type { SessionStore } from "../types.js";
import { TestBrowser } from "./test-browser.js";

export function sessionTestConfig(env: Record<string, string>): MargConfig {
  const root = createTempDir("session-config");
  writeFileSync(`${root.path}/.env.shared`, "");
  try {
    return loadConfig({
      root: root.path,
      env: {
        APP_URL: "http://flow.marg.test",
        SESSION_DOMAIN: ".marg.test",
        SESSION_DRIVER: "database",
        ...env,
      },
    });
  } finally {
    root.remove();
  }
}

export interface RunningApp {
  readonly url: string;
  /** Every log line the app wrote (Fastify's and the session layer's), at trace level. */
  readonly logs: string[];
  browser(): TestBrowser;
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly config: MargConfig;
  readonly store: SessionStore;
  readonly tuning?: SessionTuning;
  /** Awaited by POST /slow/:key between loading the session and changing it. */
  readonly gate?: (key: string) => Promise<void>;
}

export async function startSessionApp(options: TestAppOptions): Promise<RunningApp> {
  const logs: string[] = [];
  const loggerInstance = pino({ level: "trace" }, { write: (line: string) => logs.push(line) });
  const app = Fastify({ loggerInstance });
  await app.register(sessionPlugin, {
    config: options.config,
    store: options.store,
    ...(options.tuning === undefined ? {} : { tuning: options.tuning }),
  });
  type Params = { Params: { key: string }; Body: { value?: unknown; token?: string } };
  app.get("/health", async () => ({ ok: true }));
  app.get<Params>("/get/:key", async (req) => ({ value: (await req.session.get(req.params.key)) ?? null }));
  app.get("/all", async (req) => ({ values: await req.session.all() }));
  app.post<Params>("/set/:key", async (req) => {
    await req.session.set(req.params.key, req.body.value);
    return { ok: true };
  });
  app.post<Params>("/slow/:key", async (req) => {
    await req.session.all();
    await options.gate?.(req.params.key);
    await req.session.set(req.params.key, req.body.value);
    return { ok: true };
  });
  app.get("/whoami", async (req) => ({ userId: await req.session.userId() }));
  app.get("/handle", async (req) => {
    await req.session.userId();
    return { handle: req.session.handle ?? null };
  });
  app.post<Params>("/sign-in/:key", async (req) => {
    await req.session.signIn(req.params.key);
    return { ok: true };
  });
  app.post("/sign-out", async (req) => {
    await req.session.destroy();
    return { ok: true };
  });
  app.post("/regenerate", async (req) => {
    await req.session.regenerate();
    return { ok: true };
  });
  app.post<Params>("/flash/:key", async (req) => {
    await req.session.flash(req.params.key, req.body.value);
    return { ok: true };
  });
  app.get("/flashed", async (req) => ({ flashed: await req.session.flashedAll() }));
  app.get("/csrf", async (req) => ({ token: await req.session.csrfToken() }));
  app.post<Params>("/csrf", async (req) => {
    await req.session.assertCsrfToken(req.body.token);
    return { ok: true };
  });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  return { url, logs, browser: () => new TestBrowser(url), close: () => app.close() };
}
