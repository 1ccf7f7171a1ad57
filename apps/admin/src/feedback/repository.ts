import type { Kysely } from "kysely";
import type { AdminDatabase } from "../database.js";

/**
 * `feedback` in klue_portal_business, as flow's migration creates it (the
 * contract is apps/flow/src/feedback/feedback-tables.ts). Flow owns the table;
 * admin only reads it, over its own business connection, never importing flow.
 */
interface FeedbackTable {
  id: number;
  /** The app it was sent from. */
  app: string;
  user_id: number;
  /** The sender's address when they sent it. */
  user_email: string;
  /** 1 to 5. */
  rating: number;
  body: string;
  page: string;
  created_at: number;
}

export interface FeedbackTables {
  feedback: FeedbackTable;
}

export interface FeedbackItem {
  readonly id: number;
  readonly app: string;
  readonly rating: number;
  readonly message: string;
  readonly page: string;
  readonly userId: number;
  readonly userEmail: string;
  /** The sender's current name from marg-rbac, or null when the account is gone. */
  readonly userName: string | null;
  readonly createdAt: number;
}

export type FeedbackPage =
  | { readonly available: false }
  | {
      readonly available: true;
      readonly items: readonly FeedbackItem[];
      readonly total: number;
      readonly page: number;
      readonly perPage: number;
      readonly pages: number;
    };

/** Feedback from flow, newest first, with senders' names looked up in marg-rbac. */
export class FeedbackReader {
  readonly #business: Kysely<FeedbackTables>;
  readonly #rbac: Kysely<AdminDatabase>;

  constructor(deps: { business: Kysely<FeedbackTables>; rbac: Kysely<AdminDatabase> }) {
    this.#business = deps.business;
    this.#rbac = deps.rbac;
  }

  /** `available: false` until flow's migration has created the table. */
  async list(query: { page: number; perPage: number; rating?: number }): Promise<FeedbackPage> {
    const tables = await this.#business.introspection.getTables();
    if (!tables.some((table) => table.name === "feedback")) return { available: false };
    let filtered = this.#business.selectFrom("feedback");
    if (query.rating !== undefined) filtered = filtered.where("rating", "=", query.rating);
    const counted = await filtered.select((eb) => eb.fn.countAll().as("total")).executeTakeFirstOrThrow();
    const total = Number(counted.total);
    const rows = await filtered
      .selectAll()
      .orderBy("created_at", "desc")
      .orderBy("id", "desc")
      .limit(query.perPage)
      .offset((query.page - 1) * query.perPage)
      .execute();
    const names = await this.#names(rows.map((row) => Number(row.user_id)));
    const items = rows.map(
      (row): FeedbackItem => ({
        id: Number(row.id),
        app: row.app,
        rating: Number(row.rating),
        message: row.body,
        page: row.page,
        userId: Number(row.user_id),
        userEmail: row.user_email,
        userName: names.get(Number(row.user_id)) ?? null,
        createdAt: Number(row.created_at),
      }),
    );
    return {
      available: true,
      items,
      total,
      page: query.page,
      perPage: query.perPage,
      pages: Math.ceil(total / query.perPage),
    };
  }

  async #names(ids: readonly number[]): Promise<Map<number, string>> {
    const wanted = [...new Set(ids)];
    if (wanted.length === 0) return new Map();
    const rows = await this.#rbac
      .selectFrom("users")
      .select(["id", "name"])
      .where("id", "in", wanted)
      .execute();
    return new Map(rows.map((row) => [Number(row.id), row.name]));
  }
}
