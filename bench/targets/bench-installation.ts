// The installation every MARG process of the bench runs from: a temp MARG_ROOT
// with the production shape of phase 2 — MySQL (a scratch MariaDB database),
// sessions, cache and queues in Redis (a scratch key prefix), APP_ENV=production,
// request logs at info — migrated and seeded by the real `marg` commands, plus
// the rows scenario C reads. Everything it makes is removed by `remove()`.
import path from "node:path";
import { DEMO_PASSWORD } from "@marg/core/auth";
import { generateAppKey } from "@marg/core/config";
import {
  createScratchMysqlDatabase,
  createScratchRedisPrefix,
  TEST_MYSQL,
  TEST_REDIS,
} from "@marg/core/testing";
import mysql from "mysql2/promise";
import { createMargInstallation } from "../../test/support/marg-installation.js";

export const DOMAIN = "marg.test";
export const FLOW_HOST = `flow.${DOMAIN}`;
export const LINKS_HOST = `links.${DOMAIN}`;
/** Part O's OpenID provider; its APP_URL is https, as production's issuer must be (TLS ends at the proxy). */
export const ID_HOST = `id.${DOMAIN}`;
/** The signed-in user of B–D: a plain member (no wildcard grants that could short-cut the RBAC check). */
export const BENCH_USER = { email: "linus@marg.localhost", password: DEMO_PASSWORD } as const;
/** Rows in `tasks`: the bench user's own, and everybody else's (so the index has work to do). */
export const OWN_TASKS = 200;
export const OTHER_TASKS = 20_000;

export interface BenchInstallation {
  readonly root: string;
  readonly redisPrefix: string;
  readonly database: string;
  readonly benchUserId: number;
  readonly logDir: string;
  remove(): Promise<void>;
}

/** `withIdApp`: the id app (part O) is installed too: in MARG_APPS, migrated, its APP_URL set. */
export async function prepareBenchInstallation(
  options: { withIdApp?: boolean } = {},
): Promise<BenchInstallation> {
  const redis = createScratchRedisPrefix("bench");
  const database = await createScratchMysqlDatabase("bench");
  const installation = createMargInstallation("marg-bench");
  const remove = async () => {
    await redis.clear();
    await database.drop();
    installation.remove();
  };
  try {
    const env = {
      APP_KEY: generateAppKey(),
      MARG_APPS: options.withIdApp === true ? "flow,links,id" : "flow,links",
      MARG_DOMAIN: DOMAIN,
      SESSION_DOMAIN: `.${DOMAIN}`,
      SESSION_DRIVER: "redis",
      CACHE_STORE: "redis",
      QUEUE_CONNECTION: "redis",
      REDIS_HOST: TEST_REDIS.host,
      REDIS_PORT: String(TEST_REDIS.port),
      REDIS_PREFIX: redis.prefix,
      DB_CONNECTION: "mysql",
      DB_HOST: TEST_MYSQL.host,
      DB_PORT: String(TEST_MYSQL.port),
      DB_USERNAME: TEST_MYSQL.user,
      ...(TEST_MYSQL.password === "" ? {} : { DB_PASSWORD: TEST_MYSQL.password }),
      DB_DATABASE: database.name,
      RBAC_DB_DATABASE: database.name,
      BUSINESS_DB_DATABASE: database.name,
      STORAGE_PATH: path.join(installation.root, "storage"),
      LOG_LEVEL: "info",
    };
    if (options.withIdApp === true) installation.writeAppEnv("id", { APP_URL: `https://${ID_HOST}` });
    // Seeded as staging (production refuses demo accounts, rightly), served as production.
    installation.writeSharedEnv({ ...env, APP_ENV: "staging" });
    await installation.run(["migrate"]);
    await installation.run(["db:seed"]);
    installation.writeSharedEnv({ ...env, APP_ENV: "production" });
    const benchUserId = await insertTasks(database.name);
    return {
      root: installation.root,
      redisPrefix: redis.prefix,
      database: database.name,
      benchUserId,
      logDir: installation.root,
      remove,
    };
  } catch (error) {
    await remove();
    throw error;
  }
}

/** Fills `tasks` in bulk (far faster than the app's forms) and returns the bench user's id. */
async function insertTasks(name: string): Promise<number> {
  const connection = await mysql.createConnection({ ...TEST_MYSQL, database: name });
  try {
    const [users] = await connection.query<mysql.RowDataPacket[]>("SELECT id FROM users WHERE email = ?", [
      BENCH_USER.email,
    ]);
    const userId = Number(users[0]?.id);
    if (!Number.isInteger(userId) || userId <= 0)
      throw new Error(`the demo user ${BENCH_USER.email} is missing`);
    const now = Date.now();
    const statuses = ["todo", "doing", "done"];
    const rows: (string | number | null)[][] = [];
    for (let i = 0; i < OWN_TASKS + OTHER_TASKS; i++) {
      const owner = i < OWN_TASKS ? userId : userId + 1000 + (i % 500);
      rows.push([
        owner,
        i % 3 === 0 ? owner : null,
        `Task ${i + 1}: check the <b>${i % 7}</b> & the "quotes"`,
        `Description of task ${i + 1}.`,
        statuses[i % 3] ?? "todo",
        i % 4,
        i % 5 === 0 ? null : `2026-12-${String((i % 28) + 1).padStart(2, "0")}`,
        now - i * 1000,
        now - i * 1000,
      ]);
    }
    for (let start = 0; start < rows.length; start += 2000) {
      await connection.query(
        "INSERT INTO tasks (user_id, assignee_id, title, description, status, priority, due_on, created_at, updated_at) VALUES ?",
        [rows.slice(start, start + 2000)],
      );
    }
    await connection.query("ANALYZE TABLE tasks");
    return userId;
  } finally {
    await connection.end();
  }
}
