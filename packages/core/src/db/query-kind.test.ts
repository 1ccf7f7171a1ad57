import { DummyDriver, Kysely, SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler, sql } from "kysely";
import { describe, expect, it } from "vitest";
import { classifyQuery } from "./query-kind.js";

interface Tables {
  users: { id: number; name: string };
}

// Compiles queries without a database: only their operation nodes matter here.
const db = new Kysely<Tables>({
  dialect: {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new DummyDriver(),
    createIntrospector: (kysely) => new SqliteIntrospector(kysely),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  },
});

describe("classifyQuery", () => {
  it("lets a replica answer a plain select", () => {
    expect(classifyQuery(db.selectFrom("users").selectAll().compile())).toBe("read");
  });

  it("keeps locking selects on the primary", () => {
    expect(classifyQuery(db.selectFrom("users").selectAll().forUpdate().compile())).toBe("primary-read");
    expect(
      classifyQuery(db.selectFrom("users").selectAll().modifyEnd(sql`lock in share mode`).compile()),
    ).toBe("primary-read");
  });

  it("treats insert, update, delete and DDL as writes", () => {
    expect(classifyQuery(db.insertInto("users").values({ id: 1, name: "a" }).compile())).toBe("write");
    expect(classifyQuery(db.updateTable("users").set({ name: "b" }).compile())).toBe("write");
    expect(classifyQuery(db.deleteFrom("users").compile())).toBe("write");
    expect(classifyQuery(db.schema.createTable("t").addColumn("a", "integer").compile())).toBe("write");
  });

  it("sends raw SQL to the primary, counting it as a write unless it plainly reads", () => {
    expect(classifyQuery(sql`select 1`.compile(db))).toBe("primary-read");
    expect(classifyQuery(sql`SHOW TABLES`.compile(db))).toBe("primary-read");
    expect(classifyQuery(sql`select get_lock('x', 1)`.compile(db))).toBe("write");
    expect(classifyQuery(sql`update users set name = 'c'`.compile(db))).toBe("write");
  });
});
