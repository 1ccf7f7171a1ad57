import type { UserRepository } from "@marg/core/auth";
import { loadConfig, type MargConfig } from "@marg/core/config";
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
 * on a worker (whose config is not flow's) flow's database comes from
 * `platform.appDatabase` and flow's URL from flow's own config
 * (`.env.shared` + `apps/flow/.env`).
 */
export function flowJobDepsFrom(platform: Platform): FlowJobDeps {
  return {
    db: platform.appDatabase<FlowTables>(FLOW_APP),
    users: platform.users,
    people: new PeopleDirectory(platform.rbacDb),
    mailer: platform.mailer,
    storagePath: platform.config.storage.path,
    appUrl: flowAppUrl(platform.config),
    attachMaxBytes: platform.config.reports.attachMaxBytes,
  };
}

/** Flow's APP_URL, read from flow's config when this process is not flow. */
function flowAppUrl(config: MargConfig): string {
  if (config.app.id === FLOW_APP.id) return config.app.url;
  return loadConfig({
    app: FLOW_APP.id,
    root: config.app.root,
    appDefaults: { name: FLOW_APP.title, database: FLOW_APP.database },
  }).app.url;
}
