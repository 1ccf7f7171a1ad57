import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { generateAppKey, loadConfig, type MargConfig } from "../../config/index.js";
import { createDatabases } from "../../db/databases.js";
import type { MigrationSet } from "../../db/migration-types.js";
import { createMigrator } from "../../db/migrator.js";
import { createTempDir } from "../../testing/index.js";
import { openDoctorContext } from "../open-doctor-context.js";
import { type DoctorReport, runDoctor } from "../run-doctor.js";
import type { DoctorApp, DoctorCheck, DoctorContext, Finding } from "../types.js";

export interface DoctorFixture {
  readonly root: string;
  readonly installation: MargConfig;
  readonly ctx: DoctorContext;
  /** Runs one area (or all) and returns the report. */
  run(check?: DoctorCheck): Promise<DoctorReport>;
  /** The finding with this id from the last run; throws when there is none. */
  finding(id: string): Finding;
  close(): Promise<void>;
}

const lines = (env: Record<string, string>) =>
  `${Object.entries(env)
    .map(([key, value]) => `${key}=${value}`)
    .join("\n")}\n`;

/**
 * A real installation in a temp folder (.env.shared, apps/<id>/.env, SQLite
 * files or whatever the env points at), its configs loaded as `marg doctor`
 * loads them, and a doctor context opened on it.
 */
export async function doctorFixture(
  options: {
    shared?: Record<string, string>;
    apps?: Record<string, Record<string, string>>;
    /** Applied before the context opens (SQLite: created in the temp folder). */
    migrations?: readonly MigrationSet[];
    /** Sets listed for the migrations finding (default: `migrations`). */
    listed?: readonly MigrationSet[];
    /** Called with the root before configs load (to chmod files, mount a disk…). */
    prepare?: (root: string) => void;
  } = {},
): Promise<DoctorFixture> {
  const temp = createTempDir("doctor");
  const root = temp.path;
  const appIds = Object.keys(options.apps ?? { flow: {}, links: {} });
  const shared = {
    APP_KEY: generateAppKey(),
    APP_ENV: "testing",
    MARG_APPS: appIds.join(","),
    MARG_DOMAIN: "marg.test",
    SESSION_DOMAIN: ".marg.test",
    STORAGE_PATH: path.join(root, "storage"),
    ...options.shared,
  };
  writeFileSync(path.join(root, ".env.shared"), lines(shared));
  chmodSync(path.join(root, ".env.shared"), 0o600);
  for (const [id, env] of Object.entries(options.apps ?? {})) {
    if (Object.keys(env).length === 0) continue;
    mkdirSync(path.join(root, "apps", id), { recursive: true });
    writeFileSync(path.join(root, "apps", id, ".env"), lines(env));
    chmodSync(path.join(root, "apps", id, ".env"), 0o600);
  }
  options.prepare?.(root);
  const installation = loadConfig({ root, env: {} });
  const apps: DoctorApp[] = appIds.map((id) => {
    try {
      return { id, config: loadConfig({ app: id, root, env: {} }) };
    } catch (error) {
      return { id, error: (error as Error).message };
    }
  });
  const sets = options.migrations ?? [];
  if (sets.length > 0) {
    const databases = createDatabases(installation, { readReplicas: false });
    try {
      await createMigrator(() => databases, sets).latest();
    } finally {
      await databases.destroy();
    }
  }
  const listed = options.listed ?? sets;
  const opened = await openDoctorContext({
    installation,
    apps,
    migrationStatus: async () => {
      const databases = createDatabases(installation, { readReplicas: false });
      try {
        return await createMigrator(() => databases, listed).status();
      } finally {
        await databases.destroy();
      }
    },
  });
  let last: DoctorReport = { level: "ok", findings: [] };
  return {
    root,
    installation,
    ctx: opened.ctx,
    async run(check) {
      last = await runDoctor(opened.ctx, check === undefined ? {} : { checks: [{ area: "test", check }] });
      return last;
    },
    finding(id) {
      const found = last.findings.find((finding) => finding.id === id);
      if (found === undefined)
        throw new Error(`no finding ${id} in ${JSON.stringify(last.findings, null, 2)}`);
      return found;
    },
    async close() {
      await opened.close();
      temp.remove();
    },
  };
}
