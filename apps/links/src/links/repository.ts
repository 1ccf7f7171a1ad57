import { type Kysely, type Selectable, sql } from "kysely";
import type { LinksTable, LinksTables } from "../db/schema.js";
import type { Link, LinkActor, LinkPage, LinkSummary } from "./types.js";

export interface LinkWrite {
  readonly slug: string;
  readonly targetUrl: string;
  readonly title: string;
  readonly tags: readonly string[];
  readonly enabled: boolean;
}

/** `%` and `_` typed by the user match themselves; `!` is the escape character on both dialects. */
function likePattern(text: string): string {
  return `%${text.replace(/[!%_]/g, (char) => `!${char}`)}%`;
}

/** The SQL of links and their tags; nothing here decides who may do what. */
export class LinkRepository {
  constructor(private readonly db: Kysely<LinksTables>) {}

  async findById(id: number): Promise<Link | undefined> {
    const row = await this.db.selectFrom("links").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? undefined : (await this.#withTags([row]))[0];
  }

  async findBySlug(slug: string): Promise<Link | undefined> {
    const row = await this.db.selectFrom("links").selectAll().where("slug", "=", slug).executeTakeFirst();
    return row === undefined ? undefined : (await this.#withTags([row]))[0];
  }

  async slugExists(slug: string): Promise<boolean> {
    const row = await this.db.selectFrom("links").select("id").where("slug", "=", slug).executeTakeFirst();
    return row !== undefined;
  }

  /** Inserts a link and its tags in one transaction; a taken slug surfaces as the driver's unique error. */
  async insert(ownerId: number, write: LinkWrite, now: number): Promise<Link> {
    const id = await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .insertInto("links")
        .values({
          slug: write.slug,
          target_url: write.targetUrl,
          title: write.title,
          enabled: write.enabled ? 1 : 0,
          owner_id: ownerId,
          created_at: now,
          updated_at: now,
        })
        .executeTakeFirstOrThrow();
      const newId = Number(result.insertId);
      if (write.tags.length > 0) {
        await trx
          .insertInto("link_tags")
          .values(write.tags.map((tag) => ({ link_id: newId, tag })))
          .execute();
      }
      return newId;
    });
    const link = await this.findById(id);
    if (link === undefined) throw new Error(`link ${id} vanished right after it was inserted`);
    return link;
  }

  async update(id: number, write: LinkWrite, now: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable("links")
        .set({
          slug: write.slug,
          target_url: write.targetUrl,
          title: write.title,
          enabled: write.enabled ? 1 : 0,
          updated_at: now,
        })
        .where("id", "=", id)
        .execute();
      await trx.deleteFrom("link_tags").where("link_id", "=", id).execute();
      if (write.tags.length > 0) {
        await trx
          .insertInto("link_tags")
          .values(write.tags.map((tag) => ({ link_id: id, tag })))
          .execute();
      }
    });
  }

  /** Deletes the link with its tags and its counts (clicks still buffered are dropped by the flush). */
  async delete(id: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx.deleteFrom("link_tags").where("link_id", "=", id).execute();
      await trx.deleteFrom("link_clicks_daily").where("link_id", "=", id).execute();
      await trx.deleteFrom("link_click_buffer").where("link_id", "=", id).execute();
      await trx.deleteFrom("links").where("id", "=", id).execute();
    });
  }

  /** One page of the actor's links (every owner's when `seesAll`), newest first, with click totals. */
  async list(
    actor: LinkActor,
    filter: { q: string; tag: string; page: number; perPage: number },
  ): Promise<LinkPage> {
    let query = this.db.selectFrom("links");
    if (!actor.seesAll) query = query.where("links.owner_id", "=", actor.userId);
    if (filter.q !== "") {
      const pattern = likePattern(filter.q);
      query = query.where((eb) =>
        eb.or([
          sql<boolean>`${eb.ref("links.slug")} like ${pattern} escape '!'`,
          sql<boolean>`${eb.ref("links.title")} like ${pattern} escape '!'`,
          sql<boolean>`${eb.ref("links.target_url")} like ${pattern} escape '!'`,
        ]),
      );
    }
    if (filter.tag !== "") {
      query = query.where((eb) =>
        eb.exists(
          eb
            .selectFrom("link_tags")
            .select("link_tags.link_id")
            .whereRef("link_tags.link_id", "=", "links.id")
            .where("link_tags.tag", "=", filter.tag),
        ),
      );
    }
    const counted = await query.select((eb) => eb.fn.countAll<number>().as("total")).executeTakeFirst();
    const rows = await query
      .selectAll("links")
      .orderBy("links.created_at", "desc")
      .orderBy("links.id", "desc")
      .limit(filter.perPage)
      .offset((filter.page - 1) * filter.perPage)
      .execute();
    const links = await this.#withTags(rows);
    const totals = await this.clickTotals(links.map((link) => link.id));
    const items: LinkSummary[] = links.map((link) => ({ ...link, clicks: totals.get(link.id) ?? 0 }));
    return { items, total: Number(counted?.total ?? 0), page: filter.page, perPage: filter.perPage };
  }

  /** Flushed clicks per link id. */
  async clickTotals(ids: readonly number[]): Promise<Map<number, number>> {
    if (ids.length === 0) return new Map();
    const rows = await this.db
      .selectFrom("link_clicks_daily")
      .select(["link_id", (eb) => eb.fn.sum<number | string>("clicks").as("clicks")])
      .where("link_id", "in", ids)
      .groupBy("link_id")
      .execute();
    return new Map(rows.map((row) => [Number(row.link_id), Number(row.clicks)]));
  }

  /** Every tag the actor uses, for the filter. */
  async tagsOf(actor: LinkActor): Promise<string[]> {
    let query = this.db
      .selectFrom("link_tags")
      .innerJoin("links", "links.id", "link_tags.link_id")
      .select("link_tags.tag")
      .distinct();
    if (!actor.seesAll) query = query.where("links.owner_id", "=", actor.userId);
    const rows = await query.orderBy("link_tags.tag").limit(200).execute();
    return rows.map((row) => row.tag);
  }

  async #withTags(rows: readonly Selectable<LinksTable>[]): Promise<Link[]> {
    if (rows.length === 0) return [];
    const tagRows = await this.db
      .selectFrom("link_tags")
      .select(["link_id", "tag"])
      .where(
        "link_id",
        "in",
        rows.map((row) => row.id),
      )
      .orderBy("tag")
      .execute();
    const tags = new Map<number, string[]>();
    for (const row of tagRows) {
      const id = Number(row.link_id);
      tags.set(id, [...(tags.get(id) ?? []), row.tag]);
    }
    return rows.map((row) => ({
      id: Number(row.id),
      slug: row.slug,
      targetUrl: row.target_url,
      title: row.title,
      tags: tags.get(Number(row.id)) ?? [],
      enabled: Number(row.enabled) === 1,
      ownerId: Number(row.owner_id),
      createdAt: Number(row.created_at),
      updatedAt: Number(row.updated_at),
    }));
  }
}
