import { randomBytes } from "node:crypto";
import { mysqlReplicaLagProbe, type ReplicaQuery } from "@marg/core/db";
import { createScratchMysqlDatabase, type ScratchDatabase, TEST_MYSQL } from "@marg/core/testing";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderExample, useLoopbackAddresses } from "../testing/example-fleets.js";

/**
 * The app user exactly as phase 4's rendered 01-databases-and-users.sql creates it,
 * on this machine's MariaDB: a scratch user name and database stand in for
 * marg_app and MARG's databases, and http-1 gets 127.0.0.1 (where this test
 * connects from). Only the statements for that one account are applied.
 */
const user = `marg_t_app_${randomBytes(4).toString("hex")}`;
const account = `'${user}'@'127.0.0.1'`;
let scratch: ScratchDatabase;
let admin: mysql.Connection;
let statements: string[];
let password: string;

async function probeAsApp() {
  const app = await mysql.createConnection({
    host: TEST_MYSQL.host,
    port: TEST_MYSQL.port,
    user,
    password,
    database: scratch.name,
  });
  try {
    const run: ReplicaQuery = async (sql) => (await app.query<mysql.RowDataPacket[]>(sql))[0];
    return await mysqlReplicaLagProbe({ host: TEST_MYSQL.host, port: TEST_MYSQL.port }, run);
  } finally {
    await app.end();
  }
}

beforeAll(async () => {
  scratch = await createScratchMysqlDatabase("app_grants");
  const rendered = renderExample("phase4-ha", (inventory) => {
    useLoopbackAddresses(inventory, "http-1");
    inventory.mysql.appUser = user;
    inventory.mysql.rbacDatabase = scratch.name;
    inventory.mysql.businessDatabase = scratch.name;
    for (const app of inventory.apps) app.database = scratch.name;
  });
  password = rendered.secrets.DB_PASSWORD;
  statements = rendered
    .content("mysql-1/root/marg-sql/01-databases-and-users.sql")
    .split("\n")
    .filter((line) => !line.startsWith("--") && line.includes(account));
  admin = await mysql.createConnection(TEST_MYSQL);
});

afterAll(async () => {
  await admin?.query(`DROP USER IF EXISTS ${account}`);
  await admin?.end();
  await scratch?.drop();
});

describe("the rendered app user on MariaDB 10.11", () => {
  it("is refused replica status with its database rights alone: the probe says denied, naming SLAVE MONITOR", async () => {
    for (const statement of statements.filter((line) => !line.includes(" ON *.* ")))
      await admin.query(statement);
    expect(await probeAsApp()).toEqual({
      denied: true,
      privilege: "SLAVE MONITOR",
      account,
      message: expect.stringContaining("Access denied"),
    });
  });

  it("with the rendered global grant, the lag probe is no longer denied (undefined: not a replica)", async () => {
    for (const statement of statements) await admin.query(statement);
    expect(await probeAsApp()).toBeUndefined();
  });

  it("holds SLAVE MONITOR as its only global privilege: no SUPER, no REPLICATION SLAVE", async () => {
    const [rows] = await admin.query<mysql.RowDataPacket[]>(`SHOW GRANTS FOR ${account}`);
    const grants = rows.map((row) => String(Object.values(row)[0]));
    const global = grants.filter((grant) => grant.includes(" ON *.* "));
    expect(global).toHaveLength(1);
    expect(global[0]).toMatch(/^GRANT SLAVE MONITOR ON \*\.\* TO /);
    expect(grants.join("\n")).not.toMatch(/SUPER|REPLICATION SLAVE|ALL PRIVILEGES|GRANT OPTION/);
  });
});
