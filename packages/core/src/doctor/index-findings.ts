import type { Kysely } from "kysely";
import { describeDatabase, usedDatabases } from "./database-connections.js";
import { isCovered, tableIndexes } from "./index-inspector.js";
import { SEED_INDEXES } from "./seed-indexes.js";
import { type DoctorCheck, type Finding, ok, warn } from "./types.js";

/** The seed's "Add indexes" advice, checked against the real tables. */
export const checkSeedIndexes: DoctorCheck = async (ctx) => {
  const findings: Finding[] = [];
  const tables = [...new Set(SEED_INDEXES.map((expected) => expected.table))];
  for (const used of usedDatabases(ctx)) {
    let db: Kysely<unknown>;
    let existing: Set<string>;
    try {
      db = ctx.databasesFor(used.config).connection<unknown>(used.name);
      existing = new Set((await db.introspection.getTables()).map((table) => table.name));
    } catch {
      continue; // Unreachable databases are database.reachable's finding.
    }
    for (const table of tables.filter((name) => existing.has(name))) {
      const indexes = await tableIndexes(db, table);
      for (const expected of SEED_INDEXES.filter((each) => each.table === table)) {
        if (isCovered(indexes, expected.columns)) continue;
        const columns = expected.columns.join(", ");
        findings.push(
          warn(
            `database.index.${used.label}.${table}.${expected.columns.join("_")}`,
            `${describeDatabase(used)}: table ${table} has no index on (${columns}); the seed's slow queries filter on it`,
            `Add a migration: db.schema.createIndex("${table}_${expected.columns.join("_")}_index").on("${table}").columns([${expected.columns.map((c) => `"${c}"`).join(", ")}])`,
          ),
        );
      }
    }
  }
  return findings.length > 0
    ? findings
    : [ok("database.indexes", "every table the seed names has its indexes")];
};
