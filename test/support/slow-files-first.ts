/**
 * vitest's file order for `npm test`: the files that take longest start first, so the two
 * workers finish together instead of one running a two-minute file alone at the end.
 *
 * vitest orders by the durations it cached from an earlier run on this machine, and on a
 * clean clone (CI) by file size, which puts a 300-line unit test before a 100-line file that
 * starts a fleet. Here a file's duration is, in this order: vitest's cache (this machine, the
 * last run), the committed table test/support/test-durations.json (`npm run test:durations`
 * rewrites it from that cache), or unknown. Unknown files (new ones) go first: a new
 * browser suite is more likely to be long than a new unit test is to be slow.
 */
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** The committed table: seconds per file, by path from the repo root. */
export interface DurationTable {
  readonly source: string;
  readonly seconds: Readonly<Record<string, number>>;
}

export const DURATIONS_FILE = path.join(import.meta.dirname, "test-durations.json");

/** Where vitest caches each file's last duration (its cache folder for a config without a project name). */
export const VITEST_RESULTS_FILE = path.join(
  import.meta.dirname,
  "../../node_modules/.vite/vitest",
  createHash("sha1").update("").digest("hex"),
  "results.json",
);

function readTable(): DurationTable {
  return JSON.parse(readFileSync(DURATIONS_FILE, "utf8")) as DurationTable;
}

/** Below this, where a file starts hardly changes when the run ends. */
const SHORT_SECONDS = 5;

/** Longer than any measured file, and finite, so two unknown files compare equal (and keep their order). */
const UNKNOWN = 1e9;

export default class SlowFilesFirst extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const table = readTable().seconds;
    const root = this.ctx.config.root;
    const estimate = (spec: TestSpecification): number => {
      const file = path.relative(root, spec.moduleId).split(path.sep).join("/");
      const cached = this.ctx.cache.getFileTestResults(`${spec.project.name}:${file}`);
      if (cached !== undefined && !cached.failed) return cached.duration / 1000;
      return table[file] ?? UNKNOWN;
    };
    const estimates = new Map(files.map((spec) => [spec, estimate(spec)]));
    const seconds = (spec: TestSpecification) => estimates.get(spec) ?? 0;
    const shares = (spec: TestSpecification) => spec.project.config.isolate === false;
    return [...files].sort((a, b) => {
      // Projects with their own group order (vitest runs each group to its end) keep it.
      const group = a.project.config.sequence.groupOrder - b.project.config.sequence.groupOrder;
      if (group !== 0) return group;
      // Among the short files, those that share a worker process go together: vitest hands a
      // shared process the next file only when that file shares too.
      if (seconds(a) < SHORT_SECONDS && seconds(b) < SHORT_SECONDS && shares(a) !== shares(b))
        return shares(a) ? -1 : 1;
      return seconds(b) - seconds(a);
    });
  }
}
