import type { Insertable, Kysely } from "kysely";
import type { MargConfig } from "../config/config-types.js";
import { currentRequestScope, runInRequestScope } from "../context/index.js";
import { isMargError, MargError } from "../errors/index.js";
import type { ConnectionName } from "./migration-types.js";
import type { Databases } from "./types.js";

/** What a seeder gets: the config, the connections (reads on the primary) and a progress line. */
export interface SeedContext {
  readonly config: MargConfig;
  db<Tables>(name: ConnectionName): Kysely<Tables>;
  log(line: string): void;
}

/**
 * Fills a database with the rows an installation needs (default roles, a demo
 * user). Seeders must be idempotent: `marg db:seed` may run any number of times
 * and must never create a duplicate — use `insertMissing` or an equivalent.
 */
export interface Seeder {
  /** Shown in progress lines, e.g. `rbac:default-roles`. */
  readonly name: string;
  /** Demo data (accounts with a published password, sample rows): `marg dev --no-seed` and `db:seed --no-demo` skip it. */
  readonly demo?: boolean;
  run(ctx: SeedContext): Promise<void>;
}

/** A seeder with the databases and config of the module that brought it. */
export interface SeederEntry {
  readonly seeder: Seeder;
  readonly source: string;
  readonly config: MargConfig;
  readonly databases: Databases;
}

export interface SeedResult {
  readonly name: string;
  readonly source: string;
  readonly ms: number;
}

const ALL_CONNECTIONS: readonly ConnectionName[] = ["app", "rbac", "business"];

/**
 * Runs seeders in order; the first failure stops the run with E_SEED_FAILED.
 * Reads are pinned to the primary, since a lagging replica would make
 * "insert if missing" insert twice.
 */
export async function runSeeders(
  entries: readonly SeederEntry[],
  options: { onEvent?: (event: { type: "seeded" } & SeedResult) => void; log?: (line: string) => void } = {},
): Promise<SeedResult[]> {
  const results: SeedResult[] = [];
  for (const { seeder, source, config, databases } of entries) {
    const started = performance.now();
    try {
      await runInRequestScope(`seed:${seeder.name}`, async () => {
        for (const name of ALL_CONNECTIONS) currentRequestScope()?.stickyFrom.add(name);
        await seeder.run({
          config,
          db: <Tables>(name: ConnectionName) => databases.connection<Tables>(name),
          log: (line) => options.log?.(`${seeder.name}: ${line}`),
        });
      });
    } catch (error) {
      if (isMargError(error) && error.code.startsWith("E_DB_")) throw error;
      const cause = error instanceof Error ? error.message : String(error);
      throw new MargError(
        "E_SEED_FAILED",
        `Seeder ${seeder.name} (${source}) failed: ${cause}. Seeders before it are kept; fix it and run \`marg db:seed\` again.`,
        { cause: error, details: { seeder: seeder.name, source } },
      );
    }
    const result = { name: seeder.name, source, ms: Math.round(performance.now() - started) };
    options.onEvent?.({ type: "seeded", ...result });
    results.push(result);
  }
  return results;
}

type LooseTables = Record<string, Record<string, unknown>>;

/**
 * Inserts each row whose `keys` columns match no existing row, in one
 * transaction, and returns how many it inserted: the building block of an
 * idempotent seeder, identical on SQLite and MySQL.
 *
 * @example
 * await insertMissing(ctx.db<RbacTables>("rbac"), "roles", [{ name: "admin", created_at: now }], ["name"]);
 */
export async function insertMissing<Tables, Table extends keyof Tables & string>(
  db: Kysely<Tables>,
  table: Table,
  rows: readonly Insertable<Tables[Table]>[],
  keys: readonly (keyof Tables[Table] & string)[],
): Promise<number> {
  if (keys.length === 0) throw new TypeError("insertMissing needs at least one key column");
  const loose = db as unknown as Kysely<LooseTables>;
  const name: string = table;
  return loose.transaction().execute(async (trx) => {
    let inserted = 0;
    for (const row of rows as readonly Record<string, unknown>[]) {
      const columns: readonly string[] = keys;
      let query = trx.selectFrom(name).select(columns[0] as string);
      for (const key of columns) {
        const value = row[key];
        // `= NULL` matches nothing, which would insert a NULL-keyed row on every run.
        query =
          value === null || value === undefined ? query.where(key, "is", null) : query.where(key, "=", value);
      }
      if ((await query.limit(1).executeTakeFirst()) !== undefined) continue;
      await trx.insertInto(name).values(row).execute();
      inserted += 1;
    }
    return inserted;
  });
}
