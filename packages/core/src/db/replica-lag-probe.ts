import type { ReplicaLag, ReplicaLagDenied, ReplicaLagProbe, ReplicaQuery } from "./types.js";

/** Named when the server's message does not say which privilege it wants. */
const EITHER_PRIVILEGE = "SLAVE MONITOR (MariaDB) or REPLICATION CLIENT (MySQL)";

function errorCode(error: unknown): unknown {
  return (error as { code?: unknown } | undefined)?.code;
}

/** "You need (at least one of) the … privilege(s)". A refused login (ER_ACCESS_DENIED_ERROR) is not this: it throws. */
function isMissingPrivilege(error: unknown): boolean {
  return errorCode(error) === "ER_SPECIFIC_ACCESS_DENIED_ERROR";
}

function lagOf(row: Record<string, unknown>): number | null | undefined {
  for (const column of ["Seconds_Behind_Source", "Seconds_Behind_Master"]) {
    if (!(column in row)) continue;
    const value = row[column];
    return value === null ? null : Number(value);
  }
  return undefined;
}

/**
 * The privilege the server asks for, from "Access denied; you need (at least one of)
 * the SUPER, SLAVE MONITOR privilege(s) …" (MariaDB) or "… the SUPER, REPLICATION CLIENT
 * privilege(s) …" (MySQL 8). SUPER is passed over: it is far more than the probe needs.
 */
function privilegeAskedFor(message: string): string {
  const listed = /the ([A-Z_ ,]+) privilege/.exec(message)?.[1];
  const wanted = (listed ?? "")
    .split(",")
    .map((name) => name.trim())
    .filter((name) => name !== "" && name !== "SUPER");
  return wanted[0] ?? EITHER_PRIVILEGE;
}

/** `'marg_app'@'192.168.1.10'`: the account the server matched, for the GRANT to run. */
async function currentAccount(run: ReplicaQuery): Promise<string | undefined> {
  try {
    const [row] = await run("SELECT CURRENT_USER() AS account");
    const value = String(row?.account ?? "");
    const at = value.lastIndexOf("@");
    return at <= 0 ? undefined : `'${value.slice(0, at)}'@'${value.slice(at + 1)}'`;
  } catch {
    return undefined;
  }
}

async function denial(error: unknown, run: ReplicaQuery): Promise<ReplicaLagDenied> {
  const message = error instanceof Error ? error.message : String(error);
  return { denied: true, privilege: privilegeAskedFor(message), account: await currentAccount(run), message };
}

export function isLagDenied(lag: ReplicaLag): lag is ReplicaLagDenied {
  return typeof lag === "object" && lag !== null;
}

/** What to run so the probe may read the replica status (the SQL rendered for the fleet has it). */
export function lagDeniedFix(denied: ReplicaLagDenied): string {
  const guessed = denied.privilege === EITHER_PRIVILEGE;
  const account = denied.account ?? "'<DB_USERNAME>'@'<this app server's address>'";
  return (
    `On the primary: GRANT ${guessed ? "SLAVE MONITOR" : denied.privilege} ON *.* TO ${account};` +
    `${guessed ? " (MySQL 8: REPLICATION CLIENT)" : ""} ` +
    "The SQL rendered by `marg infra:render` (/root/marg-sql/01-databases-and-users.sql) " +
    "has it for every app server: apply it again"
  );
}

/**
 * The default probe: `SHOW REPLICA STATUS` (MySQL 8.0.22+, MariaDB 10.5+), falling
 * back to `SHOW SLAVE STATUS` on older servers. A server that is not a replica gives
 * `undefined` (no rows); a user without the privilege (MariaDB: SLAVE MONITOR, MySQL:
 * REPLICATION CLIENT) gives a `ReplicaLagDenied` naming it.
 */
export const mysqlReplicaLagProbe: ReplicaLagProbe = async (_replica, run) => {
  let rows: readonly Record<string, unknown>[];
  try {
    try {
      rows = await run("SHOW REPLICA STATUS");
    } catch (error) {
      if (errorCode(error) !== "ER_PARSE_ERROR") throw error;
      rows = await run("SHOW SLAVE STATUS");
    }
  } catch (error) {
    if (isMissingPrivilege(error)) return denial(error, run);
    throw error;
  }
  const row = rows[0];
  return row === undefined ? undefined : lagOf(row);
};
