import { sql } from "kysely";
import { describeDatabase, type UsedDatabase, usedDatabases } from "./database-connections.js";
import { checkReplicaLag } from "./replica-findings.js";
import { type DoctorCheck, type DoctorContext, type Finding, fail, ok, warn } from "./types.js";

async function checkReachable(ctx: DoctorContext, used: UsedDatabase): Promise<Finding> {
  const result = await ctx.databasesFor(used.config).ping(used.name, { timeoutMs: 3000 });
  const id = `database.reachable.${used.label}`;
  if (result.ok) return ok(id, `${used.label}: ${describeDatabase(used)} answers`);
  return fail(
    id,
    `${used.label}: ${describeDatabase(used)} does not answer (${result.code ?? "error"}: ${result.message ?? "no answer"})`,
    "Start MySQL (`sudo systemctl start mysql`), then check DB_HOST/DB_PORT, the user's grants and the firewall (port 3306)",
  );
}

async function checkMigrations(ctx: DoctorContext): Promise<Finding> {
  if (ctx.migrationStatus === undefined) return ok("database.migrations", "not checked");
  try {
    const rows = await ctx.migrationStatus();
    const pending = rows.filter((row) => row.executedAt === null);
    if (pending.length === 0) return ok("database.migrations", `all ${rows.length} migrations have run`);
    const names = pending.slice(0, 3).map((row) => `${row.connection}/${row.name}`);
    const more = pending.length > 3 ? ` and ${pending.length - 3} more` : "";
    return fail(
      "database.migrations",
      `${pending.length} migration(s) have not run: ${names.join(", ")}${more}`,
      "Run `marg migrate` (with --force when APP_ENV=production)",
    );
  } catch (error) {
    return fail(
      "database.migrations",
      `cannot read the migrations (${(error as Error).message})`,
      "See database.reachable",
    );
  }
}

interface VariableRow {
  readonly Variable_name: string;
  readonly Value: string;
}

/** The seed's `slow_query_log = 1` / `long_query_time = 2`, once per MySQL server. */
async function checkSlowQueryLog(ctx: DoctorContext, databases: UsedDatabase[]): Promise<Finding[]> {
  const servers = new Map<string, UsedDatabase>();
  for (const used of databases) {
    const conn = used.config.db.connections[used.name];
    if (conn.driver === "mysql") servers.set(`${conn.host}:${conn.port}`, used);
  }
  if (servers.size === 0) return [ok("database.slow-query-log", "not applicable (SQLite)")];
  const findings: Finding[] = [];
  for (const [server, used] of servers) {
    const id = `database.slow-query-log.${server}`;
    try {
      const db = ctx.databasesFor(used.config).connection<unknown>(used.name);
      const { rows } =
        await sql<VariableRow>`SHOW GLOBAL VARIABLES WHERE Variable_name IN ('slow_query_log', 'long_query_time')`.execute(
          db,
        );
      const value = (name: string) => rows.find((row) => row.Variable_name === name)?.Value;
      const on = ["ON", "1"].includes(String(value("slow_query_log")).toUpperCase());
      findings.push(
        on
          ? ok(id, `${server}: slow query log on (long_query_time ${value("long_query_time") ?? "?"} s)`)
          : warn(
              id,
              `${server}: the slow query log is off, so "High Database Load" cannot be diagnosed`,
              "In mysqld.cnf: `slow_query_log = 1`, `long_query_time = 2` (now: `SET GLOBAL slow_query_log = 1; SET GLOBAL long_query_time = 2;`)",
            ),
      );
    } catch (error) {
      findings.push(
        warn(
          id,
          `${server}: cannot read the slow query log settings (${(error as Error).message})`,
          "Check them by hand",
        ),
      );
    }
  }
  return findings;
}

/** Databases: reachable, migrations current, slow query log on, read replicas' lag measurable. */
export const checkDatabases: DoctorCheck = async (ctx) => {
  const databases = usedDatabases(ctx);
  const reachable = await Promise.all(databases.map((used) => checkReachable(ctx, used)));
  if (reachable.some((finding) => finding.level === "fail")) return reachable;
  return [
    ...reachable,
    await checkMigrations(ctx),
    ...(await checkSlowQueryLog(ctx, databases)),
    ...(await checkReplicaLag(databases)),
  ];
};
