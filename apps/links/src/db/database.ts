import { loadConfig } from "@marg/core/config";
import { createDatabases } from "@marg/core/db";
import type { Platform } from "@marg/core/platform";
import type { Kysely } from "kysely";
import type { LinksTables } from "./schema.js";

/** The app's id, title and own database: one place for every module that needs them. */
export const LINKS_APP = { id: "links", title: "Links", database: "links_db" } as const;

/**
 * links_db from any process. The app's own server has it as its `app`
 * connection; a worker (whose `app` connection is the installation's) opens it
 * with links' config, once, and closes it with its platform.
 */
export function linksDatabaseOf(platform: Platform): () => Kysely<LinksTables> {
  if (platform.config.app.id === LINKS_APP.id) {
    const db = platform.databases.connection<LinksTables>("app");
    return () => db;
  }
  let db: Kysely<LinksTables> | undefined;
  return () => {
    if (db === undefined) {
      const config = loadConfig({
        app: LINKS_APP.id,
        root: platform.config.app.root,
        appDefaults: { name: LINKS_APP.title, database: LINKS_APP.database },
      });
      const databases = createDatabases(config, { readReplicas: false });
      platform.onClose(() => databases.destroy());
      db = databases.connection<LinksTables>("app");
    }
    return db;
  };
}
