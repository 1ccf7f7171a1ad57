import type { Kysely } from "kysely";
import { insertedId } from "../shared/sql-helpers.js";
import type { FeedbackInput } from "./schema.js";
import type { BusinessTables } from "./tables.js";

export interface StoredFeedback extends FeedbackInput {
  readonly id: number;
  readonly createdAt: number;
}

/** Writes feedback to `klue_portal_business`; admin reads the same table on its own. */
export class FeedbackRepository {
  constructor(
    private readonly db: Kysely<BusinessTables>,
    private readonly now: () => number = Date.now,
  ) {}

  async add(
    user: { id: number; email: string },
    input: FeedbackInput,
    app = "flow",
  ): Promise<StoredFeedback> {
    const createdAt = this.now();
    const id = insertedId(
      await this.db
        .insertInto("feedback")
        .values({
          app,
          user_id: user.id,
          user_email: user.email,
          rating: input.rating,
          body: input.body,
          page: input.page,
          created_at: createdAt,
        })
        .executeTakeFirst(),
    );
    return { id, createdAt, ...input };
  }
}
