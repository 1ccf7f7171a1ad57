import { defineConfig } from "vitest/config";

// One runner for the whole repo. Suites that start real servers (Redis, MariaDB,
// nginx, HAProxy, Chromium) share this machine's two cores, so files run in
// parallel but bounded, and each suite isolates itself by database name or key prefix.
export default defineConfig({
  test: {
    include: ["packages/*/src/**/*.test.ts", "apps/*/src/**/*.test.ts", "test/**/*.test.ts"],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
    reporters: ["default", "./test/support/closing-line-reporter.ts"],
  },
});
