/**
 * Rewrites test/support/test-durations.json, the table `npm test` orders its files by
 * (test/support/slow-files-first.ts), from the durations vitest cached in its last runs.
 *
 * Reads: node_modules/.vite/vitest/…/results.json (vitest writes it after every run: each
 * file's whole time, its hooks included, which a JSON report's start and end leave out).
 * Writes: test/support/test-durations.json.
 *
 * Run after a full `npx vitest run`: npm run test:durations
 * Only the order matters, so a run on a busy machine is good enough. A file that failed, or
 * is not in the cache, keeps the duration the table had; a file that no longer exists is dropped.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DURATIONS_FILE, type DurationTable, VITEST_RESULTS_FILE } from "../test/support/slow-files-first.js";

interface ResultsCache {
  readonly results: readonly [string, { duration: number; failed: boolean }][];
}

const root = path.resolve(import.meta.dirname, "..");
if (!existsSync(VITEST_RESULTS_FILE)) {
  process.stderr.write(`no vitest results at ${VITEST_RESULTS_FILE}: run \`npx vitest run\` first\n`);
  process.exit(1);
}
const cache = JSON.parse(readFileSync(VITEST_RESULTS_FILE, "utf8")) as ResultsCache;
const previous = (JSON.parse(readFileSync(DURATIONS_FILE, "utf8")) as DurationTable).seconds;

const seconds: Record<string, number> = {};
for (const [file, kept] of Object.entries(previous))
  if (existsSync(path.join(root, file))) seconds[file] = kept;
let measured = 0;
for (const [key, result] of cache.results) {
  // Keys are `<project>:<path from the root>`.
  const file = key.slice(key.indexOf(":") + 1);
  if (result.failed || !existsSync(path.join(root, file))) continue;
  seconds[file] = Math.round(result.duration / 100) / 10;
  measured += 1;
}
const table: DurationTable = {
  source: `vitest's results cache of ${new Date().toISOString().slice(0, 10)}`,
  seconds: Object.fromEntries(Object.entries(seconds).sort(([a], [b]) => a.localeCompare(b))),
};
writeFileSync(DURATIONS_FILE, `${JSON.stringify(table, null, 2)}\n`);
process.stdout.write(
  `${Object.keys(seconds).length} files in ${path.relative(root, DURATIONS_FILE)}, ${measured} from this cache\n`,
);
