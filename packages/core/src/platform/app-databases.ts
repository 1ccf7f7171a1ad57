import type { Kysely } from "kysely";
import type { MargConfig } from "../config/config-types.js";
import { loadConfig } from "../config/load-config.js";
import { createDatabases } from "../db/databases.js";
import type { Databases } from "../db/types.js";

/**
 * Which app's database: its id, and (as in its definition) its title and its
 * default database name, for when that app's DB_DATABASE is unset. An app
 * definition fits as it is.
 */
export type AppDatabaseRef =
  | string
  | { readonly id: string; readonly title?: string; readonly database?: string };

/** `platform.appDatabase`: an app's own database, by app id. */
export type AppDatabaseOf = <Tables>(app: AppDatabaseRef) => Kysely<Tables>;

/**
 * An app's own database from any process. In the app's own process it is the
 * `app` connection; elsewhere (a worker, another app) it is opened once with that
 * app's config (its `apps/<id>/.env` over `.env.shared`) and closed with the platform.
 */
export function createAppDatabaseOf(
  config: MargConfig,
  databases: Databases,
  onClose: (fn: () => Promise<void>) => void,
): AppDatabaseOf {
  const opened = new Map<string, Databases>();
  return <Tables>(app: AppDatabaseRef): Kysely<Tables> => {
    const ref = typeof app === "string" ? { id: app } : app;
    if (ref.id === config.app.id) return databases.connection<Tables>("app");
    let other = opened.get(ref.id);
    if (other === undefined) {
      const appConfig = loadConfig({
        app: ref.id,
        root: config.app.root,
        appDefaults: {
          ...(ref.title === undefined ? {} : { name: ref.title }),
          ...(ref.database === undefined ? {} : { database: ref.database }),
        },
      });
      const created = createDatabases(appConfig, { readReplicas: false });
      opened.set(ref.id, created);
      onClose(() => created.destroy());
      other = created;
    }
    return other.connection<Tables>("app");
  };
}
