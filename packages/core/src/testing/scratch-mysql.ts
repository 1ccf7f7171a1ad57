import { randomBytes } from "node:crypto";
import mysql from "mysql2/promise";

/** The local MariaDB the test machine runs (root, empty password), overridable for other hosts. */
export const TEST_MYSQL = {
  host: process.env.MARG_TEST_MYSQL_HOST ?? "127.0.0.1",
  port: Number(process.env.MARG_TEST_MYSQL_PORT ?? 3306),
  user: process.env.MARG_TEST_MYSQL_USER ?? "root",
  password: process.env.MARG_TEST_MYSQL_PASSWORD ?? "",
};

export interface ScratchDatabase {
  readonly name: string;
  drop(): Promise<void>;
}

/**
 * Creates an empty, uniquely named database on the test MariaDB, so suites that
 * run in parallel never see each other's tables. Call `drop()` in afterAll.
 */
export async function createScratchMysqlDatabase(label: string): Promise<ScratchDatabase> {
  const name = `marg_t_${label.replace(/[^a-z0-9_]/gi, "_")}_${randomBytes(4).toString("hex")}`.slice(0, 64);
  const admin = await mysql.createConnection(TEST_MYSQL);
  try {
    await admin.query(`CREATE DATABASE \`${name}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci`);
  } finally {
    await admin.end();
  }
  return {
    name,
    async drop() {
      const conn = await mysql.createConnection(TEST_MYSQL);
      try {
        await conn.query(`DROP DATABASE IF EXISTS \`${name}\``);
      } finally {
        await conn.end();
      }
    },
  };
}

export interface ScratchUser {
  readonly user: string;
  readonly password: string;
  /** `'marg_t_…'@'127.0.0.1'`, for GRANT and SHOW GRANTS. */
  readonly account: string;
  /** Runs `GRANT <privileges> ON <on> TO` this user (e.g. `SELECT, INSERT`, `` `db`.* ``). */
  grant(privileges: string, on: string): Promise<void>;
  drop(): Promise<void>;
}

/**
 * Creates a uniquely named user on the test MariaDB with no privileges at all,
 * connecting from 127.0.0.1. Call `drop()` in afterAll.
 */
export async function createScratchMysqlUser(label: string): Promise<ScratchUser> {
  const user = `marg_t_${label.replace(/[^a-z0-9_]/gi, "_").slice(0, 14)}_${randomBytes(4).toString("hex")}`;
  const password = randomBytes(12).toString("hex");
  const account = `'${user}'@'127.0.0.1'`;
  const asRoot = async (statement: string) => {
    const conn = await mysql.createConnection(TEST_MYSQL);
    try {
      await conn.query(statement);
    } finally {
      await conn.end();
    }
  };
  await asRoot(`CREATE USER ${account} IDENTIFIED BY '${password}'`);
  return {
    user,
    password,
    account,
    grant: (privileges, on) => asRoot(`GRANT ${privileges} ON ${on} TO ${account}`),
    drop: () => asRoot(`DROP USER IF EXISTS ${account}`),
  };
}
