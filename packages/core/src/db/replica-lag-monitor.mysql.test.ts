import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAppKey } from "../config/app-key.js";
import { loadConfig } from "../config/load-config.js";
import {
  createScratchMysqlDatabase,
  createScratchMysqlUser,
  type ScratchDatabase,
  type ScratchUser,
  TEST_MYSQL,
} from "../testing/index.js";
import { createConnection } from "./connection-factory.js";
import type { DatabaseEvent, ReplicaTarget } from "./types.js";

// The app user of a real fleet before the fix: data rights on its databases and
// nothing global, so MariaDB refuses it SHOW REPLICA STATUS. Two stand-in
// "replicas" (two databases of this server) are probed as that user.
let primary: ScratchDatabase;
let replicaA: ScratchDatabase;
let replicaB: ScratchDatabase;
let user: ScratchUser;

const replicaOf = (scratch: ScratchDatabase): ReplicaTarget => ({
  host: TEST_MYSQL.host,
  port: TEST_MYSQL.port,
  database: scratch.name,
});

function openAsUser(events: DatabaseEvent[]) {
  const config = loadConfig({
    root: "/nonexistent-marg-root",
    env: {
      APP_KEY: generateAppKey(),
      DB_CONNECTION: "mysql",
      DB_HOST: TEST_MYSQL.host,
      DB_PORT: String(TEST_MYSQL.port),
      DB_USERNAME: user.user,
      DB_PASSWORD: user.password,
      DB_DATABASE: primary.name,
      DB_REPLICA_MAX_LAG: "5",
      MARG_APPS: "",
    },
  });
  return createConnection(config.db.connections.app, {
    replicaTargets: [replicaOf(replicaA), replicaOf(replicaB)],
    lagProbeIntervalMs: 60_000,
    onEvent: (event) => events.push(event),
  });
}

describe("the lag monitor when the app user may not read replica status", () => {
  beforeAll(async () => {
    primary = await createScratchMysqlDatabase("lag_primary");
    replicaA = await createScratchMysqlDatabase("lag_replica_a");
    replicaB = await createScratchMysqlDatabase("lag_replica_b");
    user = await createScratchMysqlUser("lag");
    for (const scratch of [primary, replicaA, replicaB])
      await user.grant("SELECT, INSERT, UPDATE, DELETE", `\`${scratch.name}\`.*`);
  });
  afterAll(async () => {
    await user?.drop();
    await Promise.all([primary, replicaA, replicaB].map((scratch) => scratch?.drop()));
  });

  it("warns once per replica (not per probe), naming the privilege and the GRANT to run, and keeps the replica in use", async () => {
    const events: DatabaseEvent[] = [];
    const handle = openAsUser(events);
    try {
      for (let probe = 0; probe < 3; probe += 1) await handle.lagMonitor?.probeNow();
      const warnings = events.filter((event) => event.type === "replica-lag-unknown");
      expect(warnings.map((event) => event.replica).sort()).toEqual(
        [replicaA, replicaB].map((scratch) => `${TEST_MYSQL.host}:${TEST_MYSQL.port}/${scratch.name}`).sort(),
      );
      for (const warning of warnings) {
        expect(warning.reason).toContain("SLAVE MONITOR");
        expect(warning.reason).toContain(`GRANT SLAVE MONITOR ON *.* TO ${user.account}`);
      }
      expect(events.filter((event) => event.type !== "replica-lag-unknown")).toEqual([]);
      expect(handle.replicas?.states().every((state) => state.up)).toBe(true);
    } finally {
      await handle.db.destroy();
    }
  });

  it("stays quiet once the user holds SLAVE MONITOR (this server is no replica: the lag is unknown, not refused)", async () => {
    await user.grant("SLAVE MONITOR", "*.*");
    const events: DatabaseEvent[] = [];
    const handle = openAsUser(events);
    try {
      await handle.lagMonitor?.probeNow();
      await handle.lagMonitor?.probeNow();
      expect(events).toEqual([]);
      expect(handle.replicas?.states().every((state) => state.up)).toBe(true);
    } finally {
      await handle.db.destroy();
    }
  });
});
