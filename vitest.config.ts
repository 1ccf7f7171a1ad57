import { defineConfig } from "vitest/config";
import SlowFilesFirst from "./test/support/slow-files-first.js";

// Processes the tests start from source (`node --import tsx fixture.ts`, `marg serve`) resolve
// every `@marg/*` import to the package's `src/` through the `development` export condition.
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, "--conditions=development"].filter(Boolean).join(" ");

// The file of the suites that share one rendered fleet (test/fleet/support/fleet-global-setup.ts).
const SHARED_FLEET_FILE = "test/fleet/shared-fleet.test.ts";

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
          include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["**/node_modules/**", SHARED_FLEET_FILE],
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
