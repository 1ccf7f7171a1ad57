import path from "node:path";
import type { Kysely } from "kysely";
import { afterEach, describe, expect, it } from "vitest";
import { startProcess } from "../../../../test/support/spawn-process.js";
import type { LinksTables } from "../db/schema.js";
import {
  type LinksDbEnv,
  openLinksDb,
  openScratchRedis,
  type ScratchRedis,
} from "../test-support/links-db-env.js";
import { DatabaseClickCounter } from "./database-click-counter.js";
import { RedisClickCounter } from "./redis-click-counter.js";
import { flushClicks } from "./service.js";
import type { ClickCounter } from "./types.js";

const FIXTURE = path.join(import.meta.dirname, "../test-support/flush-until-killed.ts");

async function total(db: Kysely<LinksTables>): Promise<number> {
  const row = await db
    .selectFrom("link_clicks_daily")
    .select((eb) => eb.fn.sum<number | string>("clicks").as("clicks"))
    .executeTakeFirst();
  return Number(row?.clicks ?? 0);
}

/**
 * The real thing: a flush process killed with SIGKILL at the worst moment of its
 * source, then run again. Redis: after the upserts committed but before the
 * flushed hash was deleted. Buffer table: inside the transaction, after the
 * upserts and deletes, before COMMIT. (Every other stop point is covered, in
 * process, by click-counting.test.ts.)
 */
const CASES = [
  { counterDriver: "redis", stopAt: "afterCommit" },
  { counterDriver: "database", stopAt: "beforeCommit" },
] as const;

for (const { counterDriver, stopAt } of CASES) {
  describe(`a flush killed with SIGKILL (${counterDriver} counter)`, () => {
    let env: LinksDbEnv | undefined;
    let redis: ScratchRedis | undefined;
    let counter: ClickCounter | undefined;

    afterEach(async () => {
      await counter?.close();
      await redis?.cleanup();
      await env?.cleanup();
    });
    it(`loses and doubles nothing when killed ${stopAt === "beforeCommit" ? "before" : "after"} COMMIT`, async () => {
      env = await openLinksDb("sqlite", `kill_${counterDriver}`);
      redis = counterDriver === "redis" ? openScratchRedis("links_kill") : undefined;
      counter = redis === undefined ? new DatabaseClickCounter(env.db) : new RedisClickCounter(redis.redis);
      const linkId = await env.addLink("killed");
      for (let i = 0; i < 25; i += 1) await counter.record({ linkId, day: "2026-12-01", referrerHost: "" });
      await counter.drain();

      const child = startProcess("node", [
        "--import",
        "tsx",
        FIXTURE,
        JSON.stringify({ root: env.root, env: env.env, redisPrefix: redis?.prefix, stopAt }),
      ]);
      await child.waitFor(new RegExp(`STOPPED ${stopAt}`), 20_000);
      child.child.kill("SIGKILL");
      await child.stop(1000);
      expect(await total(env.db)).toBe(stopAt === "beforeCommit" ? 0 : 25);

      for (let i = 0; i < 5; i += 1) await counter.record({ linkId, day: "2026-12-01", referrerHost: "" });
      await counter.drain();
      await flushClicks({ db: env.db, redis: redis?.redis });
      expect(await total(env.db)).toBe(30);
    });
  });
}
