import { generateAppKey, loadConfig } from "@marg/core/config";
import { createDatabases, createMigrator, type Databases } from "@marg/core/db";
import { createRedisConnections, type RedisConnections } from "@marg/core/redis";
import {
  createScratchMysqlDatabase,
  createScratchRedisPrefix,
  createTempDir,
  type ScratchDatabase,
  type ScratchRedisPrefix,
  TEST_MYSQL,
  TEST_REDIS,
} from "@marg/core/testing";
import { pino } from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idMigrations } from "../db/migrations.js";
import type { IdTables } from "../db/schema.js";
import type { OidcAdapterFactory } from "./oidc-adapter.js";
import { redisOidcAdapters } from "./redis-oidc-adapter.js";
import { pruneExpiredPayloads, sqlOidcAdapters } from "./sql-oidc-adapter.js";

interface Backend {
  readonly adapters: OidcAdapterFactory;
  close(): Promise<void>;
}

async function sqlBackend(driver: "sqlite" | "mysql"): Promise<Backend & { databases: Databases }> {
  const dir = createTempDir(`id-adapter-${driver}`);
  const scratch: ScratchDatabase | undefined =
    driver === "mysql" ? await createScratchMysqlDatabase("id_adapter") : undefined;
  const env: Record<string, string> = {
    APP_KEY: generateAppKey(),
    MARG_APPS: "",
    LOG_LEVEL: "silent",
    ...(scratch === undefined
      ? { DB_CONNECTION: "sqlite", DB_DATABASE: "id_db" }
      : {
          DB_CONNECTION: "mysql",
          DB_HOST: TEST_MYSQL.host,
          DB_PORT: String(TEST_MYSQL.port),
          DB_USERNAME: TEST_MYSQL.user,
          DB_PASSWORD: TEST_MYSQL.password,
          DB_DATABASE: scratch.name,
        }),
  };
  const config = loadConfig({ app: "id", root: dir.path, env });
  const databases = createDatabases(config, { readReplicas: false });
  await createMigrator(() => databases, [idMigrations]).latest();
  return {
    databases,
    adapters: sqlOidcAdapters(databases.connection<IdTables>("app")),
    async close() {
      await databases.destroy();
      await scratch?.drop();
      dir.remove();
    },
  };
}

async function redisBackend(): Promise<Backend & { redis: RedisConnections; scratch: ScratchRedisPrefix }> {
  const scratch = createScratchRedisPrefix("id-adapter");
  const redis = createRedisConnections(
    {
      host: TEST_REDIS.host,
      port: TEST_REDIS.port,
      password: undefined,
      db: 0,
      sentinels: [],
      sentinelService: "",
      sentinelPassword: undefined,
      prefix: scratch.prefix,
    },
    { logger: pino({ level: "silent" }) },
  );
  return {
    redis,
    scratch,
    adapters: redisOidcAdapters(redis),
    async close() {
      await scratch.clear();
      await redis.quit();
    },
  };
}

const BACKENDS: Record<string, () => Promise<Backend>> = {
  sqlite: () => sqlBackend("sqlite"),
  mysql: () => sqlBackend("mysql"),
  redis: redisBackend,
};

for (const [name, open] of Object.entries(BACKENDS)) {
  describe(`the ${name} OIDC adapter`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await open();
    });
    afterAll(async () => {
      await backend?.close();
    });

    it("stores, finds and destroys a payload per model, ids compared byte for byte", async () => {
      const codes = backend.adapters("AuthorizationCode");
      const tokens = backend.adapters("AccessToken");
      await codes.upsert("AbC", { accountId: "7", grantId: "g1", kind: "AuthorizationCode" }, 60);
      expect(await codes.find("AbC")).toEqual({ accountId: "7", grantId: "g1", kind: "AuthorizationCode" });
      expect(await codes.find("abc")).toBeUndefined();
      expect(await tokens.find("AbC")).toBeUndefined();
      await codes.upsert("AbC", { accountId: "8", grantId: "g1" }, 60);
      expect((await codes.find("AbC"))?.accountId).toBe("8");
      await codes.destroy("AbC");
      expect(await codes.find("AbC")).toBeUndefined();
    });

    it("marks a consumed entry, which a new upsert clears", async () => {
      const codes = backend.adapters("AuthorizationCode");
      await codes.upsert("c1", { grantId: "g2" }, 60);
      await codes.consume("c1");
      const consumed = await codes.find("c1");
      expect(typeof consumed?.consumed).toBe("number");
      expect(consumed?.grantId).toBe("g2");
      await codes.consume("missing");
      expect(await codes.find("missing")).toBeUndefined();
    });

    it("finds sessions by uid and device codes by user code", async () => {
      const sessions = backend.adapters("Session");
      await sessions.upsert("s1", { uid: "u-1", accountId: "7" }, 60);
      expect((await sessions.findByUid("u-1"))?.accountId).toBe("7");
      expect(await sessions.findByUid("u-2")).toBeUndefined();
      const devices = backend.adapters("DeviceCode");
      await devices.upsert("d1", { userCode: "ABCD-EFGH" }, 60);
      expect(await devices.findByUserCode("ABCD-EFGH")).toEqual({ userCode: "ABCD-EFGH" });
    });

    it("revokes every entry of a grant", async () => {
      const refresh = backend.adapters("RefreshToken");
      const access = backend.adapters("AccessToken");
      await refresh.upsert("r1", { grantId: "g3" }, 60);
      await access.upsert("a1", { grantId: "g3" }, 60);
      await access.upsert("a2", { grantId: "g4" }, 60);
      await refresh.revokeByGrantId("g3");
      await access.revokeByGrantId("g3");
      expect(await refresh.find("r1")).toBeUndefined();
      expect(await access.find("a1")).toBeUndefined();
      expect(await access.find("a2")).toEqual({ grantId: "g4" });
    });

    it("forgets an entry once it expired", async () => {
      const interactions = backend.adapters("Interaction");
      await interactions.upsert("i1", { uid: "i1" }, 1);
      expect(await interactions.find("i1")).toBeDefined();
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      expect(await interactions.find("i1")).toBeUndefined();
    });
  });
}

describe("the SQL store's pruning", () => {
  it("deletes expired rows and keeps live ones", async () => {
    const backend = await sqlBackend("sqlite");
    try {
      const db = backend.databases.connection<IdTables>("app");
      const grants = backend.adapters("Grant");
      await grants.upsert("old", { accountId: "1" }, 1);
      await grants.upsert("live", { accountId: "1" }, 3600);
      expect(await pruneExpiredPayloads(db, Date.now() + 5_000)).toBe(1);
      expect(await grants.find("live")).toBeDefined();
    } finally {
      await backend.close();
    }
  });
});
