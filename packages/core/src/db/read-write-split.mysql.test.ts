import type { Kysely } from "kysely";
import mysql from "mysql2/promise";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAppKey } from "../config/app-key.js";
import type { MargConfig } from "../config/config-types.js";
import { loadConfig } from "../config/load-config.js";
import { currentRequestScope, requestScopesRequired, runInRequestScope } from "../context/index.js";
import { createScratchMysqlDatabase, type ScratchDatabase, TEST_MYSQL } from "../testing/index.js";
import { createConnection } from "./connection-factory.js";
import { createDatabases } from "./databases.js";
import { mysqlReplicaLagProbe } from "./replica-lag-probe.js";
import { closedPort } from "./test-support.js";
import type { DatabaseEvent, Databases, DatabasesOptions, ReplicaTarget } from "./types.js";

interface Tables {
  items: { label: string };
}

// Three databases on one server: the primary and two stand-in "replicas". Each
// holds a row naming itself, so every read shows which database answered it.
let primary: ScratchDatabase;
let replicaA: ScratchDatabase;
let replicaB: ScratchDatabase;
let admin: mysql.Connection;

function configFor(env: Record<string, string> = {}): MargConfig {
  return loadConfig({
    root: "/nonexistent-marg-root",
    env: {
      APP_KEY: generateAppKey(),
      DB_CONNECTION: "mysql",
      DB_HOST: TEST_MYSQL.host,
      DB_PORT: String(TEST_MYSQL.port),
      DB_USERNAME: TEST_MYSQL.user,
      DB_PASSWORD: TEST_MYSQL.password,
      DB_DATABASE: primary.name,
      MARG_APPS: "",
      ...env,
    },
  });
}

const replicaOf = (scratch: ScratchDatabase): ReplicaTarget => ({
  host: TEST_MYSQL.host,
  port: TEST_MYSQL.port,
  database: scratch.name,
});

async function labels(databases: Databases): Promise<string[]> {
  const rows = await databases.connection<Tables>("app").selectFrom("items").select("label").execute();
  return rows.map((row) => row.label).sort();
}

async function rowsIn(scratch: ScratchDatabase): Promise<string[]> {
  const [rows] = await admin.query<mysql.RowDataPacket[]>(`SELECT label FROM \`${scratch.name}\`.items`);
  return rows.map((row) => String(row.label)).sort();
}

function open(replicas: ReplicaTarget[], options: DatabasesOptions = {}, env: Record<string, string> = {}) {
  return createDatabases(configFor(env), { ...options, replicas: { app: replicas } });
}

describe("read/write split on MariaDB", () => {
  beforeAll(async () => {
    primary = await createScratchMysqlDatabase("rw_primary");
    replicaA = await createScratchMysqlDatabase("rw_replica_a");
    replicaB = await createScratchMysqlDatabase("rw_replica_b");
    admin = await mysql.createConnection(TEST_MYSQL);
    for (const [scratch, label] of [
      [primary, "primary"],
      [replicaA, "replica-a"],
      [replicaB, "replica-b"],
    ] as const) {
      await admin.query(`CREATE TABLE \`${scratch.name}\`.items (label varchar(50) NOT NULL)`);
      await admin.query(`INSERT INTO \`${scratch.name}\`.items VALUES (?)`, [label]);
    }
  });
  afterAll(async () => {
    await admin?.end();
    await Promise.all([primary, replicaA, replicaB].map((scratch) => scratch?.drop()));
  });

  it("asks for web requests' scopes once a connection reads from replicas, and not before", async () => {
    const withoutReplicas = createDatabases(configFor());
    expect(await labels(withoutReplicas)).toEqual(["primary"]);
    await withoutReplicas.destroy();
    expect(requestScopesRequired()).toBe(false);
    const databases = open([replicaOf(replicaA)]);
    expect(await labels(databases)).toEqual(["replica-a"]);
    await databases.destroy();
    expect(requestScopesRequired()).toBe(true);
  });

  it("answers a plain read from the replica, and sends a write to the primary", async () => {
    const databases = open([replicaOf(replicaA)]);
    try {
      expect(await labels(databases)).toEqual(["replica-a"]);
      await databases.connection<Tables>("app").insertInto("items").values({ label: "written" }).execute();
      expect(await rowsIn(primary)).toContain("written");
      expect(await rowsIn(replicaA)).not.toContain("written");
    } finally {
      await databases.connection<Tables>("app").deleteFrom("items").where("label", "=", "written").execute();
      await databases.destroy();
    }
  });

  it("reads from the primary after a write in the same request scope, and from the replica in a new scope", async () => {
    const databases = open([replicaOf(replicaA)]);
    const db = databases.connection<Tables>("app");
    try {
      await runInRequestScope("req-1", async () => {
        expect(await labels(databases)).toEqual(["replica-a"]);
        await db.updateTable("items").set({ label: "primary" }).where("label", "=", "primary").execute();
        expect(currentRequestScope()?.wroteTo.has("app")).toBe(true);
        expect(await labels(databases)).toEqual(["primary"]);
      });
      await runInRequestScope("req-2", async () => {
        expect(await labels(databases)).toEqual(["replica-a"]);
      });
    } finally {
      await databases.destroy();
    }
  });

  it("keeps reading the replica after a write when sticky is off", async () => {
    const databases = open([replicaOf(replicaA)], {}, { DB_STICKY: "false" });
    try {
      await runInRequestScope("req", async () => {
        await databases
          .connection<Tables>("app")
          .updateTable("items")
          .set({ label: "primary" })
          .where("label", "=", "primary")
          .execute();
        expect(await labels(databases)).toEqual(["replica-a"]);
      });
    } finally {
      await databases.destroy();
    }
  });

  it("pins reads to the primary when the scope's stickyFrom names the connection", async () => {
    const databases = open([replicaOf(replicaA)]);
    try {
      await runInRequestScope("req", async () => {
        currentRequestScope()?.stickyFrom.add("app");
        expect(await labels(databases)).toEqual(["primary"]);
      });
    } finally {
      await databases.destroy();
    }
  });

  it("runs every read of a transaction on the primary", async () => {
    const databases = open([replicaOf(replicaA)]);
    try {
      const inside = await databases
        .connection<Tables>("app")
        .transaction()
        .execute((trx) => trx.selectFrom("items").select("label").execute());
      expect(inside.map((row) => row.label)).toEqual(["primary"]);
    } finally {
      await databases.destroy();
    }
  });

  it("spreads reads over the replicas in turn", async () => {
    const databases = open([replicaOf(replicaA), replicaOf(replicaB)]);
    try {
      const seen = [await labels(databases), await labels(databases), await labels(databases)];
      expect(seen).toEqual([["replica-a"], ["replica-b"], ["replica-a"]]);
    } finally {
      await databases.destroy();
    }
  });

  it("falls back to the primary without an error when a replica is down, and reports it down", async () => {
    const events: DatabaseEvent[] = [];
    const dead = { host: "127.0.0.1", port: await closedPort() };
    const databases = open([dead], { onEvent: (event) => events.push(event) });
    try {
      expect(await labels(databases)).toEqual(["primary"]);
      expect(events).toEqual([
        {
          type: "replica-down",
          connection: "app",
          replica: `127.0.0.1:${dead.port}/${primary.name}`,
          reason: "ECONNREFUSED",
        },
      ]);
      // Skipped for a while: the next read does not try it again.
      expect(await labels(databases)).toEqual(["primary"]);
      expect(events).toHaveLength(1);
      expect((await databases.ping("app")).replicas).toEqual([{ replica: events[0]?.replica, up: false }]);
    } finally {
      await databases.destroy();
    }
  });

  it("skips a replica while the lag probe says it is too far behind, and uses it again once caught up", async () => {
    let lag: number | null = 60;
    const handle = createConnection(configFor({ DB_REPLICA_MAX_LAG: "5" }).db.connections.app, {
      replicaTargets: [replicaOf(replicaA)],
      lagProbe: async () => lag,
      lagProbeIntervalMs: 60_000,
    });
    const db = handle.db as unknown as Kysely<Tables>;
    const read = async () => (await db.selectFrom("items").select("label").execute()).map((row) => row.label);
    try {
      await handle.lagMonitor?.probeNow();
      expect(await read()).toEqual(["primary"]);
      lag = null; // replication stopped
      await handle.lagMonitor?.probeNow();
      expect(await read()).toEqual(["primary"]);
      lag = 1;
      await handle.lagMonitor?.probeNow();
      expect(await read()).toEqual(["replica-a"]);
    } finally {
      await db.destroy();
    }
  });

  it("reads a server that is not a replica as 'cannot tell' with the default lag probe, so it stays in use", async () => {
    const run = async (statement: string) => {
      const [rows] = await admin.query<mysql.RowDataPacket[]>(statement);
      return rows;
    };
    expect(await mysqlReplicaLagProbe(replicaOf(replicaA), run)).toBeUndefined();
  });
});
