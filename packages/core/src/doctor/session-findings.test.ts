import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { generateAppKey } from "../config/index.js";
import { DatabaseSessionStore } from "../session/stores/database-session-store.js";
import { RedisSessionStore } from "../session/stores/redis-session-store.js";
import { sessionMigrations } from "../session/stores/session-migrations.js";
import type { SessionDatabase } from "../session/stores/session-table.js";
import type { SessionChange } from "../session/types.js";
import { createScratchRedisPrefix, TEST_REDIS } from "../testing/index.js";
import { checkSessionSharing } from "./session-findings.js";
import { type DoctorFixture, doctorFixture } from "./test-support/doctor-fixture.js";

// The seed's "Session Not Shared Between Apps", each cause created for real in
// the apps' .env files, and sessions really written to the store doctor scans.

const fixtures: DoctorFixture[] = [];
const scratch = createScratchRedisPrefix("doctor_session");
afterEach(async () => {
  for (const fixture of fixtures.splice(0)) await fixture.close();
});
afterAll(() => scratch.clear());

async function fixture(options: Parameters<typeof doctorFixture>[0]) {
  const made = await doctorFixture(options);
  fixtures.push(made);
  await made.run(checkSessionSharing);
  return made;
}

const now = Date.now();
const change: SessionChange = {
  mode: "create",
  set: { a: "1" },
  unset: [],
  userId: "1",
  createdAt: now,
  lastActivity: now,
  expiresAt: now + 600_000,
  deadline: now + 1_200_000,
};
// A Redis database of its own: the scan below walks every key of the database, and the
// suites running beside this one fill database 0 with hundreds of thousands of theirs.
const SCAN_DB = 11;
const redisEnv = {
  SESSION_DRIVER: "redis",
  REDIS_HOST: TEST_REDIS.host,
  REDIS_PORT: String(TEST_REDIS.port),
  REDIS_DB: String(SCAN_DB),
  REDIS_PREFIX: scratch.prefix,
};

describe("doctor: session not shared", () => {
  it("finds every shared setting equal, and live sessions in the sessions table once someone signs in", async () => {
    const doctor = await fixture({ migrations: [sessionMigrations] });
    for (const id of [
      "session.app-key",
      "session.driver",
      "session.cookie-domain",
      "session.cookie-name",
      "session.domain-covers-apps",
    ]) {
      expect(doctor.finding(id).level, id).toBe("ok");
    }
    expect(doctor.finding("session.keys").level).toBe("warn");
    const rbac = doctor.ctx.databasesFor(doctor.installation).connection<SessionDatabase>("rbac");
    await new DatabaseSessionStore(rbac).write("c".repeat(64), change);
    await doctor.run(checkSessionSharing);
    expect(doctor.finding("session.keys")).toMatchObject({
      level: "ok",
      message: expect.stringContaining("1 live"),
    });
  });

  it("fails when one app has another APP_KEY, naming fingerprints and never the key", async () => {
    const otherKey = generateAppKey();
    const doctor = await fixture({
      apps: { flow: {}, links: { APP_KEY: otherKey } },
      migrations: [sessionMigrations],
    });
    const finding = doctor.finding("session.app-key");
    expect(finding.level).toBe("fail");
    expect(finding.message).toContain("links");
    expect(finding.message).not.toContain(otherKey.slice(7, 20));
    expect(finding.fix).toContain(".env.shared");
  });

  it("fails when the apps name the cookie differently", async () => {
    const doctor = await fixture({
      apps: { flow: {}, links: { SESSION_COOKIE: "links_session" } },
      migrations: [sessionMigrations],
    });
    expect(doctor.finding("session.cookie-name").level).toBe("fail");
  });

  it("fails when SESSION_DOMAIN is unset, so the cookie is host-only", async () => {
    const doctor = await fixture({ shared: { SESSION_DOMAIN: "" }, migrations: [sessionMigrations] });
    expect(doctor.finding("session.domain-covers-apps").level).toBe("fail");
  });

  it("fails when an app lives outside the first app's SESSION_DOMAIN", async () => {
    const doctor = await fixture({
      apps: {
        flow: { APP_URL: "http://flow.marg.test" },
        links: { APP_URL: "http://links.other.test", SESSION_DOMAIN: ".other.test" },
      },
      migrations: [sessionMigrations],
    });
    expect(doctor.finding("session.cookie-domain").level).toBe("fail");
    expect(doctor.finding("session.domain-covers-apps")).toMatchObject({
      level: "fail",
      message: expect.stringContaining("links (http://links.other.test)"),
    });
  });

  it("fails when the apps use different Redis prefixes or databases", async () => {
    const doctor = await fixture({
      shared: redisEnv,
      apps: { flow: {}, links: { REDIS_PREFIX: `${scratch.prefix}links_`, REDIS_DB: "3" } },
    });
    expect(doctor.finding("session.redis-prefix").level).toBe("fail");
    expect(doctor.finding("session.redis-server")).toMatchObject({
      level: "fail",
      message: expect.stringContaining("/3"),
    });
  });

  it("scans Redis for session keys under REDIS_PREFIX: none is a warning, a real session is ok", async () => {
    const doctor = await fixture({ shared: redisEnv });
    expect(doctor.finding("session.keys").level).toBe("warn");
    const redis = new Redis({ ...TEST_REDIS, db: SCAN_DB });
    try {
      await new RedisSessionStore(redis, { prefix: scratch.prefix }).write("d".repeat(64), change);
    } finally {
      redis.disconnect();
    }
    await doctor.run(checkSessionSharing);
    expect(doctor.finding("session.keys")).toMatchObject({
      level: "ok",
      message: expect.stringContaining(`${scratch.prefix}session:*`),
    });
  });
});
