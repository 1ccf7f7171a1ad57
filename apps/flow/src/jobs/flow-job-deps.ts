import type { UserRepository } from "@marg/core/auth";
import { loadConfig, type MargConfig } from "@marg/core/config";
import { createDatabases } from "@marg/core/db";
import type { Mailer } from "@marg/core/mail";
import type { Platform } from "@marg/core/platform";
import type { Kysely } from "kysely";
import type { FlowTables } from "../flow-tables.js";
import { PeopleDirectory } from "../people/repository.js";

/** Flow's id and database, as in its app definition (kept here so jobs need not import the app). */
export const FLOW_APP = { id: "flow", title: "Flow", database: "klueportal" } as const;

/** What flow's job handlers need. */
export interface FlowJobDeps {
  /** Flow's own database (klueportal). */
  readonly db: Kysely<FlowTables>;
  /** Users in marg-rbac (avatar path, report recipient). */
  readonly users: UserRepository;
  readonly people: PeopleDirectory;
  readonly mailer: Mailer;
  /** STORAGE_PATH, shared by apps and workers. */
  readonly storagePath: string;
  /** Flow's public URL, for links in mail. */
  readonly appUrl: string;
  /** REPORT_ATTACH_MAX_MB in bytes: a larger report is mailed as a link only. */
  readonly attachMaxBytes: number;
}

/**
 * The handlers' dependencies from a platform. Flow's own platform has them all;
 * the worker's platform is built with the installation's config, whose `app`
 * connection is not klueportal, so flow's database and URL then come from
 * flow's own config (`.env.shared` + `apps/flow/.env`), opened lazily and
 * closed with the platform.
 */
export function flowJobDepsFrom(platform: Platform): FlowJobDeps {
  const shared = {
    users: platform.users,
    people: new PeopleDirectory(platform.rbacDb),
    mailer: platform.mailer,
    storagePath: platform.config.storage.path,
    attachMaxBytes: platform.config.reports.attachMaxBytes,
  };
  if (platform.config.app.id === FLOW_APP.id) {
    return {
      ...shared,
      db: platform.databases.connection<FlowTables>("app"),
      appUrl: platform.config.app.url,
    };
  }
  const flowConfig: MargConfig = loadConfig({
    app: FLOW_APP.id,
    root: platform.config.app.root,
    appDefaults: { name: FLOW_APP.title, database: FLOW_APP.database },
  });
  // Connections open on first query, so a worker that never runs a flow job never connects.
  const databases = createDatabases(flowConfig, { readReplicas: false });
  platform.onClose(() => databases.destroy());
  return { ...shared, db: databases.connection<FlowTables>("app"), appUrl: flowConfig.app.url };
}
