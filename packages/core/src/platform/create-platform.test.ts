import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { z } from "zod";
import { generateAppKey, loadConfig } from "../config/index.js";
import { MargError } from "../errors/index.js";
import { buildProbeApp, type ProbeApp } from "../health/test-support/probe-app.js";
import { defineJob } from "../queue/job-definition.js";
import { createTempDir } from "../testing/index.js";
import { createPlatform } from "./create-platform.js";
import type { Platform } from "./types.js";

// How a platform gets the handlers QUEUE_CONNECTION=sync runs at dispatch, on
// real SQLite in a temp installation.

describe("createPlatform and QUEUE_CONNECTION=sync", () => {
  let probe: ProbeApp | undefined;
  afterEach(async () => {
    await probe?.close();
    probe = undefined;
  });

  it("refuses to start without job handlers, with a typed error that says what to do", async () => {
    const temp = createTempDir("platform-sync");
    try {
      const config = loadConfig({
        app: "probe",
        root: temp.path,
        env: {
          APP_KEY: generateAppKey(),
          QUEUE_CONNECTION: "sync",
          MARG_APPS: "probe",
          STORAGE_PATH: path.join(temp.path, "storage"),
        },
        appDefaults: { name: "Probe", database: "probe" },
      });
      const failure = await createPlatform(config).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failure).toBeInstanceOf(MargError);
      expect((failure as MargError).code).toBe("E_QUEUE_DRIVER_UNSUPPORTED");
      expect((failure as MargError).message).toContain("Start it with QUEUE_CONNECTION=database (or redis)");
      expect((failure as MargError).message).not.toContain("pass `registry`");
    } finally {
      temp.remove();
    }
  });

  it("binds a jobs function to the platform it builds and runs a dispatched job inside dispatch()", async () => {
    const ran: string[] = [];
    let given: Platform | undefined;
    probe = await buildProbeApp({
      env: { QUEUE_CONNECTION: "sync" },
      platformOptions: {
        jobs: async (platform) => {
          given = platform;
          return [
            defineJob({
              name: "probe.greet",
              schema: z.object({ name: z.string() }),
              async handler({ name }) {
                ran.push(name);
              },
            }),
          ];
        },
      },
    });
    expect(given).toBe(probe.platform);
    await probe.platform.queue.dispatch(
      { name: "probe.greet", schema: z.object({ name: z.string() }) },
      {
        name: "Ada",
      },
    );
    // Ran before dispatch() returned.
    expect(ran).toEqual(["Ada"]);
  });

  it("never calls the jobs function for the database driver, which leaves jobs to workers", async () => {
    let called = false;
    probe = await buildProbeApp({
      env: { QUEUE_CONNECTION: "database" },
      platformOptions: {
        jobs: () => {
          called = true;
          return [];
        },
      },
    });
    expect(probe.platform.queueBackend.driver).toBe("database");
    expect(called).toBe(false);
  });
});
