import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { MargAppDefinition } from "../app/index.js";
import type { MargConfig } from "../config/index.js";
import { MargError } from "../errors/index.js";

const APP_ID = /^[a-z][a-z0-9-]*$/;

function isAppDefinition(value: unknown): value is MargAppDefinition {
  if (typeof value !== "object" || value === null) return false;
  const app = value as Record<string, unknown>;
  return typeof app.id === "string" && typeof app.title === "string";
}

/**
 * An app folder's entry as this code runs: `src/index.ts` from source (tsx), `dist/index.js`
 * compiled, where no loader could run a .ts file (a server's MARG_ROOT is often the checkout).
 */
const LOCAL_ENTRY = import.meta.url.endsWith(".ts") ? ["src", "index.ts"] : ["dist", "index.js"];

/**
 * Imports an app: `<root>/apps/<id>/src/index.ts` (compiled: its dist/) when the installation has it, else the
 * `@marg/<id>` package. Its `app` export is the definition every service starts from.
 */
export async function loadAppDefinition(root: string, id: string): Promise<MargAppDefinition> {
  const unknown = (why: string) =>
    new MargError("E_APP_UNKNOWN", `App "${id}" ${why}`, { details: { app: id } });
  if (!APP_ID.test(id)) throw unknown("is not a valid app name: use lower-case letters, digits and dashes.");
  const local = path.join(root, "apps", id, ...LOCAL_ENTRY);
  let module: Record<string, unknown>;
  try {
    module = existsSync(local) ? await import(pathToFileURL(local).href) : await import(`@marg/${id}`);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const message = String((error as Error).message);
    const entry = path.join("apps", id, ...LOCAL_ENTRY);
    const missing =
      code === "ERR_MODULE_NOT_FOUND" && (message.includes(`@marg/${id}`) || message.includes(entry));
    if (!missing) throw error;
    throw unknown(
      `is listed in MARG_APPS but has no folder apps/${id} with src/index.ts: create it, or remove "${id}" from MARG_APPS.`,
    );
  }
  const app = module.app;
  if (!isAppDefinition(app)) {
    throw unknown(
      `has no \`app\` export: apps/${id}/src/index.ts must \`export const app = defineApp({ … })\`.`,
    );
  }
  if (app.id !== id) throw unknown(`exports an app whose id is "${app.id}": make them match.`);
  return app;
}

/** The apps a command works on: all of MARG_APPS, or the one `only` names (which must be listed). */
export function selectApps(installation: MargConfig, only: string | undefined): readonly string[] {
  if (only === undefined) return installation.app.apps;
  if (!installation.app.apps.includes(only)) {
    throw new MargError(
      "E_APP_UNKNOWN",
      `App "${only}" is not in MARG_APPS (${installation.app.apps.join(", ") || "empty"}): add it there first.`,
    );
  }
  return [only];
}
