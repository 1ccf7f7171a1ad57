import type { AuthDatabase } from "@marg/core/auth";
import type { Seeder } from "@marg/core/db";
import type { Kysely } from "kysely";
import { dayOf, daysEnding } from "../clicks/click-facts.js";
import type { LinksTables } from "./schema.js";

const DEMO_LINKS = [
  {
    owner: "linus@marg.localhost",
    slug: "launch",
    target: "https://example.com/blog/launch",
    title: "Launch announcement",
    tags: ["launch", "blog"],
    enabled: true,
    daily: 40,
  },
  {
    owner: "linus@marg.localhost",
    slug: "docs",
    target: "https://example.com/docs/getting-started",
    title: "Getting started guide",
    tags: ["docs"],
    enabled: true,
    daily: 15,
  },
  {
    owner: "linus@marg.localhost",
    slug: "old-promo",
    target: "https://example.com/promo/2025",
    title: "Last year's promotion (switched off)",
    tags: ["promo"],
    enabled: false,
    daily: 3,
  },
  {
    owner: "ada@marg.localhost",
    slug: "engine",
    target: "https://en.wikipedia.org/wiki/Analytical_engine",
    title: "The Analytical Engine",
    tags: ["history"],
    enabled: true,
    daily: 8,
  },
] as const;

const REFERRERS = ["", "news.example.com", "mail.example.org", "social.example.net"];

/** Deterministic "random" counts, so every run of the seeder shows the same history. */
function demoCount(seed: number, base: number): number {
  const x = Math.sin(seed * 12.9898) * 43758.5453;
  return Math.max(0, Math.round(base * (0.4 + (x - Math.floor(x)) * 1.2)));
}

/**
 * A few demo links owned by the demo users, with 30 days of click history, so
 * `npm start` shows real lists and charts. Idempotent: existing slugs are left
 * as they are, and history is only added to a link that has none.
 */
export const linksDemoSeeder: Seeder = {
  name: "links:demo-links",
  demo: true,
  async run(ctx) {
    if (ctx.config.app.production) {
      ctx.log("skipped: demo links are never created with APP_ENV=production");
      return;
    }
    const users = ctx.db<AuthDatabase>("rbac");
    const db = ctx.db<LinksTables>("app");
    let created = 0;
    for (const [index, demo] of DEMO_LINKS.entries()) {
      const owner = await users
        .selectFrom("users")
        .select("id")
        .where("email", "=", demo.owner)
        .executeTakeFirst();
      if (owner === undefined) continue;
      if (
        (await db.selectFrom("links").select("id").where("slug", "=", demo.slug).executeTakeFirst()) ===
        undefined
      ) {
        await insertDemo(db, Number(owner.id), demo, index);
        created += 1;
      }
    }
    ctx.log(created > 0 ? `${created} demo links with 30 days of clicks` : "demo links already present");
  },
};

async function insertDemo(
  db: Kysely<LinksTables>,
  ownerId: number,
  demo: (typeof DEMO_LINKS)[number],
  index: number,
): Promise<void> {
  const now = Date.now();
  await db.transaction().execute(async (trx) => {
    const result = await trx
      .insertInto("links")
      .values({
        slug: demo.slug,
        target_url: demo.target,
        title: demo.title,
        enabled: demo.enabled ? 1 : 0,
        owner_id: ownerId,
        created_at: now - 31 * 86_400_000 + index * 60_000,
        updated_at: now,
      })
      .executeTakeFirstOrThrow();
    const linkId = Number(result.insertId);
    await trx
      .insertInto("link_tags")
      .values(demo.tags.map((tag) => ({ link_id: linkId, tag })))
      .execute();
    const rows = daysEnding(dayOf(now - 86_400_000), 30).flatMap((day, d) =>
      REFERRERS.map((referrer_host, r) => ({
        link_id: linkId,
        day,
        referrer_host,
        clicks: demoCount(linkId * 1000 + d * 10 + r, demo.daily / (r + 1)),
      })).filter((row) => row.clicks > 0),
    );
    for (let i = 0; i < rows.length; i += 100) {
      await trx
        .insertInto("link_clicks_daily")
        .values(rows.slice(i, i + 100))
        .execute();
    }
  });
}
