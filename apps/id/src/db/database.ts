import type { Platform } from "@marg/core/platform";
import type { Kysely } from "kysely";
import type { IdTables } from "./schema.js";

/** The app's id, title and own database: one place for every module that needs them. */
export const ID_APP = { id: "id", title: "ID", database: "id_db" } as const;

/**
 * id_db from any process: the id app's own server has it as its `app`
 * connection; a worker (sending back-channel logouts) has the platform open it
 * with the id app's config, once, closed with the platform.
 */
export function idDatabase(platform: Platform): Kysely<IdTables> {
  return platform.appDatabase<IdTables>(ID_APP);
}
