import { writeFileSync } from "node:fs";
import path from "node:path";
import type { MargAppDefinition } from "../app/app-definition.js";
import type { User } from "../auth/types.js";
import { generateAppKey } from "../config/app-key.js";
import type { MargConfig } from "../config/config-types.js";
import { loadConfig } from "../config/load-config.js";
import { createDatabases } from "../db/databases.js";
import type { MigrationSet } from "../db/migration-types.js";
import { createMigrator } from "../db/migrator.js";
import { platformMigrations } from "../db/platform-migrations.js";
import type { Databases } from "../db/types.js";
import type { Platform } from "../platform/types.js";
import { RbacRepository } from "../rbac/rbac-repository.js";
import type { RbacTables } from "../rbac/rbac-schema.js";
import { assignDemoRoles, seedRbacDefaults } from "../rbac/rbac-seed.js";

export const TEST_DOMAIN = "marg.test";
export const TEST_PASSWORD = "correct horse battery staple";

/** An account a test installation starts with; `role: null` holds none. */
export interface TestPerson {
  readonly email: string;
  readonly name: string;
  readonly role: string | null;
}

/** The demo accounts by role: ada (super-admin), grace (admin), linus (member), vera (viewer). */
export const DEMO_PEOPLE = {
  "super-admin": { email: "ada@marg.localhost", name: "Ada Lovelace", role: "super-admin" },
  admin: { email: "grace@marg.localhost", name: "Grace Hopper", role: "admin" },
  member: { email: "linus@marg.localhost", name: "Linus Member", role: "member" },
  viewer: { email: "vera@marg.localhost", name: "Vera Viewer", role: "viewer" },
} as const satisfies Record<string, TestPerson>;

/** `.env.shared` of a test installation: SQLite under `root`, quiet logs, the mail log mailer. */
export function writeTestEnv(
  root: string,
  apps: readonly string[],
  env: Readonly<Record<string, string>>,
): void {
  const lines = {
    APP_KEY: generateAppKey(),
    MARG_APPS: apps.join(","),
    MARG_DOMAIN: TEST_DOMAIN,
    SESSION_DOMAIN: `.${TEST_DOMAIN}`,
    SESSION_DRIVER: "database",
    CACHE_STORE: "database",
    QUEUE_CONNECTION: "database",
    MAIL_MAILER: "log",
    LOG_LEVEL: "silent",
    ...env,
  };
  writeFileSync(
    path.join(root, ".env.shared"),
    Object.entries(lines)
      .map(([name, value]) => `${name}=${value}`)
      .join("\n"),
  );
}

/** One app's config in the test installation, served as `http://<id>.marg.test`. */
export function testAppConfig(root: string, definition: MargAppDefinition): MargConfig {
  return loadConfig({
    app: definition.id,
    root,
    env: { APP_URL: `http://${definition.id}.${TEST_DOMAIN}` },
    appDefaults: {
      name: definition.title,
      ...(definition.database === undefined ? {} : { database: definition.database }),
    },
  });
}

/**
 * Core's sets on the first app's databases, each app's own sets on its own (as
 * `marg migrate` does), in one run; then the default roles.
 */
export async function migrateTestApps(
  apps: readonly { readonly definition: MargAppDefinition; readonly config: MargConfig }[],
): Promise<void> {
  const opened: Databases[] = [];
  const open = (config: MargConfig) => {
    const databases = createDatabases(config, { readReplicas: false });
    opened.push(databases);
    return databases;
  };
  try {
    const owners = new Map<MigrationSet, Databases>();
    const [first] = apps;
    if (first === undefined) throw new Error("a test installation needs an app");
    const core = open(first.config);
    for (const set of platformMigrations) owners.set({ ...set }, core);
    for (const { definition, config } of apps) {
      const own = open(config);
      // Copied, so one set object used by two apps maps to each app's databases.
      for (const set of definition.migrations ?? []) owners.set({ ...set }, own);
    }
    await createMigrator((set) => owners.get(set) ?? core, [...owners.keys()]).latest();
    await seedRbacDefaults(new RbacRepository(core.connection<RbacTables>("rbac")));
  } finally {
    for (const databases of opened) await databases.destroy();
  }
}

/** Creates `people` (password TEST_PASSWORD) with their roles; returns them by key. */
export async function seedTestPeople<K extends string>(
  platform: Platform,
  people: Readonly<Record<K, TestPerson>>,
): Promise<Record<K, User>> {
  const users = {} as Record<K, User>;
  const roles: Record<string, number[]> = {};
  for (const [key, person] of Object.entries(people) as [K, TestPerson][]) {
    const user = await platform.users.create({
      email: person.email,
      name: person.name,
      password: TEST_PASSWORD,
    });
    users[key] = user;
    if (person.role !== null) roles[person.role] = [...(roles[person.role] ?? []), user.id];
  }
  await assignDemoRoles(new RbacRepository(platform.databases.connection<RbacTables>("rbac")), roles);
  await platform.rbac.invalidateCache();
  return users;
}
