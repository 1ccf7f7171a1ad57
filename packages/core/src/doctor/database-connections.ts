import type { MargConfig } from "../config/config-types.js";
import type { ConnectionName } from "../db/migration-types.js";
import { type DoctorContext, loadedConfigs } from "./types.js";

/** One database MARG uses, named the way an operator recognises it. */
export interface UsedDatabase {
  /** `rbac`, `business`, or `<app>` for an app's own database. */
  readonly label: string;
  readonly name: ConnectionName;
  readonly config: MargConfig;
}

function identity(config: MargConfig, name: ConnectionName): string {
  const conn = config.db.connections[name];
  return conn.driver === "sqlite"
    ? `sqlite:${conn.filename}`
    : `mysql:${conn.host}:${conn.port}/${conn.database}`;
}

/** Every distinct database of the installation: rbac and business once, then each app's own. */
export function usedDatabases(ctx: DoctorContext): UsedDatabase[] {
  const seen = new Set<string>();
  const all: UsedDatabase[] = [
    { label: "rbac", name: "rbac", config: ctx.installation },
    { label: "business", name: "business", config: ctx.installation },
    ...loadedConfigs(ctx).map(({ id, config }) => ({ label: id, name: "app" as const, config })),
  ];
  return all.filter((used) => {
    const key = identity(used.config, used.name);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** `klueportal on 10.0.0.5:3306` or `storage/flow.sqlite`: where a finding points. */
export function describeDatabase(used: UsedDatabase): string {
  const conn = used.config.db.connections[used.name];
  return conn.driver === "sqlite" ? conn.filename : `${conn.database} on ${conn.host}:${conn.port}`;
}
