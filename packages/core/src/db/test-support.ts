import { createServer } from "node:net";
import { generateAppKey } from "../config/app-key.js";
import type { MargConfig } from "../config/config-types.js";
import { loadConfig } from "../config/load-config.js";
import { createScratchMysqlDatabase, createTempDir, TEST_MYSQL } from "../testing/index.js";

/**
 * Shared by the database suites: one entry per SQL driver, each giving a fresh,
 * isolated installation config (a temp SQLite folder, or scratch MariaDB databases).
 */
export interface TestInstallation {
  readonly config: MargConfig;
  /** Loads the config again with extra variables (e.g. another DB_DATABASE). */
  configWith(env: Record<string, string>): MargConfig;
  cleanup(): Promise<void>;
}

export interface TestDriver {
  readonly name: "sqlite" | "mysql";
  install(label: string): Promise<TestInstallation>;
}

function configFor(root: string, env: Record<string, string>): MargConfig {
  return loadConfig({
    root,
    env: { APP_KEY: generateAppKey(), STORAGE_PATH: "storage", MARG_APPS: "", ...env },
  });
}

export const DB_TEST_DRIVERS: readonly TestDriver[] = [
  {
    name: "sqlite",
    async install(label) {
      const dir = createTempDir(`db-${label}`);
      const base = { DB_CONNECTION: "sqlite", DB_DATABASE: "app_db" };
      return {
        config: configFor(dir.path, base),
        configWith: (env) => configFor(dir.path, { ...base, ...env }),
        cleanup: async () => dir.remove(),
      };
    },
  },
  {
    name: "mysql",
    async install(label) {
      const dir = createTempDir(`db-${label}`);
      const scratch = await Promise.all(
        ["app", "rbac", "biz"].map((part) => createScratchMysqlDatabase(`${label}_${part}`)),
      );
      const [app, rbac, biz] = scratch.map((db) => db.name);
      const base = {
        DB_CONNECTION: "mysql",
        DB_HOST: TEST_MYSQL.host,
        DB_PORT: String(TEST_MYSQL.port),
        DB_USERNAME: TEST_MYSQL.user,
        DB_PASSWORD: TEST_MYSQL.password,
        DB_DATABASE: app ?? "",
        RBAC_DB_DATABASE: rbac ?? "",
        BUSINESS_DB_DATABASE: biz ?? "",
      };
      return {
        config: configFor(dir.path, base),
        configWith: (env) => configFor(dir.path, { ...base, ...env }),
        cleanup: async () => {
          await Promise.all(scratch.map((db) => db.drop()));
          dir.remove();
        },
      };
    },
  },
];

/** A loopback TCP port nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") throw new Error("no port");
  return address.port;
}
