import { copyFileSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { generateAppKey } from "@marg/core/config";
import { writeKeyToEnvFile } from "./key-generate.js";

/**
 * On a fresh checkout, `.env.shared` does not exist: make it from `.env.example`
 * with a newly generated APP_KEY (mode 600), like `cp .env.example .env && php
 * artisan key:generate`. An existing file is never touched.
 */
export function ensureSharedEnv(root: string): { created: boolean; file: string } {
  const file = path.join(root, ".env.shared");
  if (existsSync(file)) return { created: false, file };
  // The installation's own example, else the one this checkout ships (a MARG_ROOT elsewhere).
  const example = [
    path.join(root, ".env.example"),
    path.resolve(import.meta.dirname, "../../../../.env.example"),
  ].find((candidate) => existsSync(candidate));
  if (example !== undefined) copyFileSync(example, file);
  const hasKey = existsSync(file) && /^APP_KEY=\S+/m.test(readFileSync(file, "utf8"));
  if (!hasKey) writeKeyToEnvFile(file, generateAppKey());
  return { created: true, file };
}
