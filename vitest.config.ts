import { defineConfig } from "vitest/config";
import SlowFilesFirst from "./test/support/slow-files-first.js";

// Processes the tests start from source (`node --import tsx fixture.ts`, `marg serve`) resolve
// every `@marg/*` import to the package's `src/` through the `development` export condition.
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, "--conditions=development"].filter(Boolean).join(" ");

// The file of the suites that share one rendered fleet (test/fleet/support/fleet-global-setup.ts).
const SHARED_FLEET_FILE = "test/fleet/shared-fleet.test.ts";

// Tests beside the code that need a process of their own (the `repo` project runs them).
const NEED_OWN_PROCESS = [
  // Asserts that no request scope is required before it opens replicas: a flag of the process.
  "packages/core/src/db/read-write-split.mysql.test.ts",
];

// One runner for the whole repo. Suites that start real servers (Redis, MariaDB,
// nginx, HAProxy, Chromium) share this machine's two cores, so files run in
// parallel but bounded, and each suite isolates itself by database name or key prefix.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default", "./test/support/closing-line-reporter.ts"],
    // Longest files first (test/support/test-durations.json), so no long file starts last.
    sequence: { sequencer: SlowFilesFirst },
    projects: [
      {
        extends: true,
        test: {
          name: "repo",
          include: ["test/**/*.test.ts", ...NEED_OWN_PROCESS],
          exclude: ["**/node_modules/**", SHARED_FLEET_FILE],
        },
      },
      {
        // The tests beside the code share a worker process from one file to the next (each file
        // is still imported afresh; the modules it imports are not): a fresh process per file cost
        // about 0.4 s of CPU each, more than most of these files take to run.
        extends: true,
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts"],
          exclude: ["**/node_modules/**", ...NEED_OWN_PROCESS],
          isolate: false,
        },
      },
      {
        // Its globalSetup starts the fleet only when this file runs (vitest sets up a project's
        // globals only for projects with files in the run). One file, so its two suites run one
        // after the other (the rolling deploy restarts every program, which a journey must not
        // meet) on one worker, beside the other files: a project with file parallelism off
        // would run alone after all of them.
        extends: true,
        test: {
          name: "fleet",
          include: [SHARED_FLEET_FILE],
          globalSetup: ["test/fleet/support/fleet-global-setup.ts"],
        },
      },
    ],
  },
});
