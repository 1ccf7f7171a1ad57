import type { Kysely } from "kysely";
import type { DbConnectionConfig, MargConfig } from "../config/config-types.js";
import { MargError } from "../errors/index.js";
import { type ConnectionHandle, createConnection } from "./connection-factory.js";
import type { ConnectionName } from "./migration-types.js";
import { pingConnection } from "./ping-connection.js";
import type { Databases, DatabasesOptions } from "./types.js";

/**
 * The SQL connections of one app process, from `config.db.connections`. Each
 * connection is built on first use and cached; SQLite files and MySQL pools open
 * lazily, so a process that never touches `business` never connects to it.
 *
 * @example
 * const databases = createDatabases(loadConfig({ app: "flow" }));
 * await databases.connection<FlowTables>("app").selectFrom("tasks").selectAll().execute();
 * (await databases.ping("rbac")).ok; // true
 * await databases.destroy();
 */
export function createDatabases(config: MargConfig, options: DatabasesOptions = {}): Databases {
  const handles = new Map<ConnectionName, ConnectionHandle>();
  let destroyed = false;

  const settings = (name: ConnectionName): DbConnectionConfig => {
    const conn = Object.hasOwn(config.db.connections, name) ? config.db.connections[name] : undefined;
    if (conn === undefined) {
      throw new MargError(
        "E_DB_UNKNOWN_CONNECTION",
        `There is no database connection named "${String(name)}"; use app, rbac or business.`,
      );
    }
    return conn;
  };

  const handle = (name: ConnectionName): ConnectionHandle => {
    if (destroyed) throw new Error("These databases were destroyed; create new ones with createDatabases().");
    let existing = handles.get(name);
    if (existing === undefined) {
      existing = createConnection(settings(name), { ...options, replicaTargets: options.replicas?.[name] });
      handles.set(name, existing);
    }
    return existing;
  };

  return {
    connection: <Tables>(name: ConnectionName) => handle(name).db as unknown as Kysely<Tables>,
    settings,
    ping: (name, pingOptions = {}) => pingConnection(name, handle(name), pingOptions.timeoutMs ?? 2000),
    async destroy() {
      destroyed = true;
      const all = [...handles.values()];
      handles.clear();
      await Promise.all(all.map((opened) => opened.db.destroy()));
    },
  };
}
