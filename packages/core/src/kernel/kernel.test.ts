import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateAppKey } from "../config/index.js";
import { createDatabases } from "../db/index.js";
import { isMargError } from "../errors/index.js";
import { createTempDir } from "../testing/index.js";
import { createKernel } from "./kernel.js";

// The kernel on an embedded installation (SQLite, database queue) whose only app,
// `probe`, is written into the temp root: the same definitions give its migrations,
// its seeders, its server and the worker's jobs.

const PROBE_APP = `
export const app = {
  id: "probe",
  title: "Probe",
  database: "probe_db",
  migrations: [
    {
      source: "probe",
      connection: "app",
      migrations: {
        "2026_01_01_000000_create_things": {
          up: (db) => db.schema.createTable("things").addColumn("name", "varchar(100)", (c) => c.notNull().unique()).execute(),
          down: (db) => db.schema.dropTable("things").execute(),
        },
      },
    },
  ],
  seeders: [
    {
      name: "probe:things",
      async run(ctx) {
        const db = ctx.db("app");
        for (const name of ["a", "b"]) {
          const found = await db.selectFrom("things").select("name").where("name", "=", name).executeTakeFirst();
          if (!found) await db.insertInto("things").values({ name }).execute();
        }
      },
    },
  ],
};
`;

const temp = createTempDir("kernel");
const env = { LOG_LEVEL: "fatal" };
const kernel = () => createKernel({ root: temp.path, env });

beforeAll(() => {
  writeFileSync(
    path.join(temp.path, ".env.shared"),
    `APP_KEY=${generateAppKey()}\nMARG_APPS=probe\nQUEUE_CONNECTION=database\nMAIL_MAILER=log\n`,
    { mode: 0o600 },
  );
  mkdirSync(path.join(temp.path, "apps", "probe", "src"), { recursive: true });
  writeFileSync(path.join(temp.path, "apps", "probe", "src", "index.ts"), PROBE_APP);
});

afterAll(() => temp.remove());

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("the kernel", () => {
  it("loads an app's definition once and refuses an app MARG_APPS does not list", async () => {
    const k = kernel();
    expect(await k.definition("probe")).toBe(await k.definition("probe"));
    expect(k.selectApps()).toEqual(["probe"]);
    expect(() => k.selectApps("ghost")).toThrow(/"ghost" is not in MARG_APPS \(probe\)/);
    expect((await k.appConfig("probe")).db.connections.app.database).toBe("probe_db");
  });

  it("migrates core's sets and the app's, shows them all as run, and runs nothing the second time", async () => {
    const steps = await kernel().migrate();
    expect(steps.some((step) => step.source === "probe" && step.direction === "up")).toBe(true);
    const rows = await kernel().migrationStatus();
    expect(rows.length).toBe(steps.length);
    expect(rows.filter((row) => row.executedAt === null)).toEqual([]);
    expect(await kernel().migrate()).toEqual([]);
  });

  it("without demo data it runs the default roles and the app's seeder, and no demo seeder", async () => {
    const names = (await kernel().seed({ demo: false })).map((result) => result.name);
    expect(names).toContain("probe:things");
    expect(names).toContain("rbac:default-roles");
    expect(names).not.toContain("auth:demo-users");
  });

  it("seeds core's seeders, then the app's, and a second run adds nothing", async () => {
    const first = await kernel().seed();
    expect(first.map((result) => result.source).at(-1)).toBe("probe");
    expect(first.findIndex((result) => result.source === "probe")).toBeGreaterThan(0);
    await kernel().seed();
    const databases = createDatabases(await kernel().appConfig("probe"), { readReplicas: false });
    try {
      const names = await databases
        .connection<{ things: { name: string } }>("app")
        .selectFrom("things")
        .select("name")
        .execute();
      expect(names.map((row) => row.name).sort()).toEqual(["a", "b"]);
    } finally {
      await databases.destroy();
    }
  });

  it("builds an app's server from its definition, answering without a socket", async () => {
    const web = await kernel().web("probe");
    try {
      const response = await web.server.inject({ method: "GET", url: "/health/live" });
      expect(response.statusCode).toBe(200);
      expect(web.definition.title).toBe("Probe");
    } finally {
      await web.server.close();
      await web.platform.close();
    }
  });

  it("starts the worker over every app's jobs and stops it with exit code 0", async () => {
    const worker = await kernel().worker({
      options: { sleepSeconds: 0.05 },
      metricsListener: false,
      handleSignals: false,
    });
    await worker.stop();
    expect(await worker.done).toBe(0);
  });

  it("refuses to start a worker when QUEUE_CONNECTION=sync leaves nothing to take", async () => {
    const error = await rejection(
      createKernel({ root: temp.path, env: { ...env, QUEUE_CONNECTION: "sync" } }).worker(),
    );
    expect(isMargError(error) && error.code).toBe("E_QUEUE_DRIVER_UNSUPPORTED");
  });
});
