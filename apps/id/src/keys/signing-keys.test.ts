import { generateAppKey, loadConfig } from "@marg/core/config";
import { createDatabases, createMigrator, type Databases } from "@marg/core/db";
import { createTempDir } from "@marg/core/testing";
import type { Kysely } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { idMigrations } from "../db/migrations.js";
import type { IdTables } from "../db/schema.js";
import { SigningKeySeal } from "./signing-key-seal.js";
import { RETIRED_KEY_PUBLISHED_MS, SigningKeys } from "./signing-keys.js";

const keyOf = (appKey: string) => Buffer.from(appKey.slice("base64:".length), "base64");

describe("the provider's signing keys", () => {
  const dir = createTempDir("id-keys");
  let databases: Databases;
  let db: Kysely<IdTables>;
  const appKey = keyOf(generateAppKey());
  const warnings: string[] = [];
  const keysWith = (masters: Buffer[], now?: () => number) =>
    new SigningKeys(db, new SigningKeySeal(masters), (message) => warnings.push(message), now);

  beforeAll(async () => {
    const config = loadConfig({
      app: "id",
      root: dir.path,
      env: { APP_KEY: generateAppKey(), MARG_APPS: "", DB_CONNECTION: "sqlite", DB_DATABASE: "id_db" },
    });
    databases = createDatabases(config, { readReplicas: false });
    await createMigrator(() => databases, [idMigrations]).latest();
    db = databases.connection<IdTables>("app");
  });
  afterAll(async () => {
    await databases?.destroy();
    dir.remove();
  });

  it("are made on first use, one RS256 and one ES256, and every process reads the same ones", async () => {
    const first = await keysWith([appKey]).load();
    expect(first.keys.map((key) => key.alg).sort()).toEqual(["ES256", "RS256"]);
    const second = await keysWith([appKey]).load();
    expect(second.version).toBe(first.version);
  });

  it("keep the private part sealed at rest: no private member in the stored row", async () => {
    const rows = await db.selectFrom("oidc_signing_keys").selectAll().execute();
    for (const row of rows) {
      const published = JSON.parse(row.public_jwk) as Record<string, unknown>;
      expect(published.d).toBeUndefined();
      expect(row.private_sealed).not.toContain('"d"');
      expect(Buffer.from(row.private_sealed, "base64").toString("utf8")).not.toContain('"d"');
    }
  });

  it("open under a previous APP_KEY after APP_KEY is rotated, and are skipped (then replaced) under an unknown one", async () => {
    const before = await keysWith([appKey]).load();
    const rotatedAppKey = keyOf(generateAppKey());
    expect((await keysWith([rotatedAppKey, appKey]).load()).version).toBe(before.version);
    const stranger = await keysWith([keyOf(generateAppKey())]).load();
    expect(stranger.keys.map((key) => key.kid)).not.toEqual(
      expect.arrayContaining(before.keys.map((k) => k.kid)),
    );
    expect(warnings.some((message) => message.includes("cannot be opened"))).toBe(true);
    await db.deleteFrom("oidc_signing_keys").execute();
  });

  it("rotate: new current keys first, the previous ones still published until a day has passed", async () => {
    let now = Date.now();
    const keys = keysWith([appKey], () => now);
    const before = await keys.load();
    const fresh = await keys.rotate();
    const after = await keys.load();
    expect(
      after.keys
        .slice(0, 2)
        .map((key) => key.kid)
        .sort(),
    ).toEqual([...fresh].sort());
    expect(after.keys.map((key) => key.kid)).toEqual(
      expect.arrayContaining(before.keys.map((key) => key.kid)),
    );
    now += RETIRED_KEY_PUBLISHED_MS + 1;
    const later = await keys.load();
    expect(later.keys.map((key) => key.kid).sort()).toEqual([...fresh].sort());
  });
});
