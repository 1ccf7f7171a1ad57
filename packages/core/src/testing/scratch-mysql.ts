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
