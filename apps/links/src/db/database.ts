import type { Platform } from "@marg/core/platform";
import type { Kysely } from "kysely";
import type { LinksTables } from "./schema.js";

/** The app's id, title and own database: one place for every module that needs them. */
export const LINKS_APP = { id: "links", title: "Links", database: "links_db" } as const;

/**
 * links_db from any process: the app's own server has it as its `app`
 * connection; a worker (whose `app` connection is the installation's) has the
 * platform open it with links' config, once, closed with the platform.
 */
export function linksDatabase(platform: Platform): Kysely<LinksTables> {
  return platform.appDatabase<LinksTables>(LINKS_APP);
}
