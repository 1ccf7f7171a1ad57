/**
 * The two suites that share the rendered fleet (test/fleet/support/fleet-global-setup.ts),
 * as one test file: one worker runs them one after the other, since rendered-fleet's rolling
 * deploy restarts every program a journey would be using, while the other worker runs the
 * rest of the suite. (Two files in a project with file parallelism off would run alone, after
 * every other file, on one of the two cores.)
 *
 * Run one of them: npx vitest run test/fleet/shared-fleet.test.ts -t "journeys"
 */
import { beforeAll } from "vitest";
import { FLEET_START_MS, fleetStarted } from "./support/shared-fleet.js";
import "./rendered-fleet.suite.js";
import "./journeys.suite.js";

// The global setup starts the fleet in the background; wait for it before the first test.
beforeAll(() => fleetStarted(), FLEET_START_MS + 10_000);
