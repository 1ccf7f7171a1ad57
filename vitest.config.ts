import { defineConfig } from "vitest/config";

// Processes the tests start from source (`node --import tsx fixture.ts`, `marg serve`) resolve
// every `@marg/*` import to the package's `src/` through the `development` export condition.
process.env.NODE_OPTIONS = [process.env.NODE_OPTIONS, "--conditions=development"].filter(Boolean).join(" ");

// The fleet files that share one rendered fleet (test/fleet/support/fleet-global-setup.ts).
const SHARED_FLEET_FILES = ["test/fleet/rendered-fleet.test.ts", "test/fleet/journeys.test.ts"];

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
    projects: [
      {
        extends: true,
        test: {
          name: "repo",
          include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "test/**/*.test.ts"],
          exclude: ["**/node_modules/**", ...SHARED_FLEET_FILES],
        },
      },
      {
        // Its globalSetup starts the fleet only when one of these files runs (vitest sets up a
        // project's globals only for projects with files in the run). One file at a time: the
        // rolling deploy restarts every program, which another file's journeys must not meet.
        extends: true,
        test: {
          name: "fleet",
          include: SHARED_FLEET_FILES,
          globalSetup: ["test/fleet/support/fleet-global-setup.ts"],
          fileParallelism: false,
        },
      },
    ],
  },
});
