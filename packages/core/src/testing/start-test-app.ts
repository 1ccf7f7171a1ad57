import type { FastifyInstance } from "fastify";
import type { MargAppDefinition } from "../app/app-definition.js";
import { ARGON2_INSECURE_TEST_PARAMS, PasswordHasher } from "../auth/password-hasher.js";
import type { User } from "../auth/types.js";
import type { MargConfig } from "../config/config-types.js";
import { createAppServer } from "../kernel/app-server.js";
import { createPlatform, type PlatformJobs } from "../platform/create-platform.js";
import type { Platform } from "../platform/types.js";
import type { AnyJobDefinition } from "../queue/job-definition.js";
import { createScratchRedisPrefix } from "./scratch-redis.js";
import { createTempDir } from "./temp-dir.js";
import { TestClient, type TestTarget } from "./test-client.js";
import {
  DEMO_PEOPLE,
  migrateTestApps,
  seedTestPeople,
  TEST_DOMAIN,
  TEST_PASSWORD,
  type TestPerson,
  testAppConfig,
  writeTestEnv,
} from "./test-installation.js";

export interface StartTestAppOptions<K extends string> {
  /** Names the temp folder (and the Redis prefix). */
  readonly label: string;
  /** More apps served beside the one under test, each with its own platform as separate processes would. */
  readonly alongside?: readonly MargAppDefinition[];
  /** Every app of MARG_APPS with its title, in switcher order; default: the apps served. */
  readonly installed?: Readonly<Record<string, string>>;
  /** Lines for `.env.shared`, over the defaults (SQLite, database drivers, silent logs). */
  readonly env?: Readonly<Record<string, string>>;
  /** Sessions, cache (and the RBAC cache) on the test Redis under a scratch prefix. */
  readonly redis?: boolean;
  /** The accounts to create (password TEST_PASSWORD); default DEMO_PEOPLE. */
  readonly people?: Readonly<Record<K, TestPerson>>;
  /** Job handlers of the app under test, for QUEUE_CONNECTION=sync. */
  readonly jobs?: readonly AnyJobDefinition[] | PlatformJobs;
  /** Also listen on a loopback port, for tests about the socket (`url` then says where). */
  readonly listen?: boolean;
}

/** One app of the test installation. */
export interface RunningTestApp extends TestTarget {
  readonly definition: MargAppDefinition;
  readonly config: MargConfig;
  readonly platform: Platform;
  /** `http://127.0.0.1:<port>` with `listen`; undefined otherwise. */
  readonly url: string | undefined;
}

export interface TestApp<K extends string> extends RunningTestApp {
  /** The installation's folder (`.env.shared`, `storage/`). */
  readonly root: string;
  /** Every app served, by id (the one under test included). */
  readonly apps: Readonly<Record<string, RunningTestApp>>;
  /** The accounts created from `people`, by key. */
  readonly users: Readonly<Record<K, User>>;
  /** A client with no cookies, on the app under test or another served app. */
  client(appId?: string): TestClient;
  /** A client signed in (through the sign-in form) as a person's key or any account's email. */
  signIn(who: K | string, appId?: string): Promise<TestClient>;
  close(): Promise<void>;
}

/**
 * The real app on a temp installation, for route tests without a socket:
 * `.env.shared` in a temp folder (SQLite under it), core's and the apps'
 * migrations, the default roles, `people` with their roles (cheap argon2), and
 * each app built by createPlatform + createAppServer as `marg serve` builds it.
 * Requests go through Fastify's `inject` ({@link TestClient}). `close()` stops
 * everything and removes what it made.
 *
 * @example
 * const t = await startTestApp(app, { label: "admin-users" });
 * const grace = await t.signIn("admin");
 * expect((await grace.get("/users")).status).toBe(200);
 */
export async function startTestApp<K extends string = keyof typeof DEMO_PEOPLE>(
  definition: MargAppDefinition,
  options: StartTestAppOptions<K>,
): Promise<TestApp<K>> {
  const served = [definition, ...(options.alongside ?? [])];
  const titles = options.installed ?? Object.fromEntries(served.map((app) => [app.id, app.title]));
  const root = createTempDir(options.label);
  const redis = options.redis ? createScratchRedisPrefix(options.label) : undefined;
  const closers: (() => Promise<void> | void)[] = [() => root.remove(), () => redis?.clear()];
  const close = async () => {
    for (const closeOne of closers.reverse()) await closeOne();
  };
  try {
    writeTestEnv(root.path, Object.keys(titles), {
      ...(redis === undefined
        ? {}
        : { SESSION_DRIVER: "redis", CACHE_STORE: "redis", REDIS_PREFIX: redis.prefix }),
      ...options.env,
    });
    const configs = served.map((app) => ({ definition: app, config: testAppConfig(root.path, app) }));
    await migrateTestApps(configs);
    const hasher = new PasswordHasher({ params: ARGON2_INSECURE_TEST_PARAMS });
    // As `marg serve` does: every app's switcher knows what opens the others.
    const access = Object.fromEntries(served.flatMap((app) => (app.access ? [[app.id, app.access]] : [])));
    const offSite = Object.fromEntries(
      served.flatMap((app) => (app.redirectsOffSite ? [[app.id, app.redirectsOffSite]] : [])),
    );
    const apps: Record<string, RunningTestApp> = {};
    for (const { definition: app, config } of configs) {
      const platform = await createPlatform(config, {
        hasher,
        ...(app === definition && options.jobs !== undefined ? { jobs: options.jobs } : {}),
      });
      closers.push(() => platform.close());
      const server: FastifyInstance = await createAppServer(app, platform, {
        titles,
        access,
        redirectsOffSite: offSite,
      });
      closers.push(() => server.close());
      const url = options.listen ? await server.listen({ host: "127.0.0.1", port: 0 }) : undefined;
      if (!options.listen) await server.ready();
      apps[app.id] = { definition: app, config, platform, server, host: `${app.id}.${TEST_DOMAIN}`, url };
    }
    const main = apps[definition.id] as RunningTestApp;
    const people = options.people ?? (DEMO_PEOPLE as unknown as Record<K, TestPerson>);
    const users = await seedTestPeople(main.platform, people);
    const targets = new Map<string, TestTarget>(Object.entries(apps));
    const client = (appId = definition.id) => new TestClient(main, new Map(), targets).at(appId);
    return {
      ...main,
      root: root.path,
      apps,
      users,
      client,
      async signIn(who, appId) {
        const email = who in people ? people[who as K].email : who;
        const signedIn = client(appId);
        const response = await signedIn.submit("/login", "/login", { email, password: TEST_PASSWORD });
        if (response.status !== 303) throw new Error(`sign-in of ${email} answered ${response.status}`);
        return signedIn;
      },
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
