/**
 * Where the HA suites leave what they measured (test-artifacts/ha/<name>.json,
 * gitignored) and print it, so docs/scaling.md can quote real numbers.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { REPO_ROOT } from "../spawn-process.js";

export const HA_RESULTS_DIR = path.join(REPO_ROOT, "test-artifacts", "ha");

export function recordHaResult(name: string, values: Readonly<Record<string, unknown>>): void {
  mkdirSync(HA_RESULTS_DIR, { recursive: true });
  const stamped = { measuredAt: new Date().toISOString(), ...values };
  writeFileSync(path.join(HA_RESULTS_DIR, `${name}.json`), `${JSON.stringify(stamped, null, 2)}\n`);
  process.stdout.write(`[ha] ${name}: ${JSON.stringify(values)}\n`);
}
