import type { AuthDatabase } from "@marg/core/auth";
import type { Kysely } from "kysely";

/** A user as flow shows them: beside a task, in the assignee list. */
export interface Person {
  readonly id: number;
  readonly name: string;
  readonly email: string;
}

/**
 * Names of users for flow's pages. Users live in `marg-rbac`, tasks in
 * `klueportal`, so there is no join: pages collect the ids they show and ask
 * for them in one query.
 */
export class PeopleDirectory {
  constructor(private readonly db: Kysely<AuthDatabase>) {}

  /** The users with these ids (missing ids are simply absent). */
  async byIds(ids: Iterable<number>): Promise<Map<number, Person>> {
    const unique = [...new Set(ids)];
    if (unique.length === 0) return new Map();
    const rows = await this.db
      .selectFrom("users")
      .select(["id", "name", "email"])
      .where("id", "in", unique)
      .execute();
    return new Map(
      rows.map((row) => [Number(row.id), { id: Number(row.id), name: row.name, email: row.email }]),
    );
  }

  /** Who a task can be given to: active users, by name. */
  async assignable(limit = 500): Promise<Person[]> {
    const rows = await this.db
      .selectFrom("users")
      .select(["id", "name", "email"])
      .where("disabled_at", "is", null)
      .orderBy("name", "asc")
      .limit(limit)
      .execute();
    return rows.map((row) => ({ id: Number(row.id), name: row.name, email: row.email }));
  }

  /** True when `id` is an active user (a task cannot be given to a disabled or unknown one). */
  async isAssignable(id: number): Promise<boolean> {
    const row = await this.db
      .selectFrom("users")
      .select("id")
      .where("id", "=", id)
      .where("disabled_at", "is", null)
      .executeTakeFirst();
    return row !== undefined;
  }
}
