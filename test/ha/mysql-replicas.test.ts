/**
 * Issue 9, scenario 3 (phase 4 of the seed): a MariaDB primary and two GTID
 * replicas from the rendered mysqld.cnf and SQL, flow configured with the rendered
 * DB_HOST / DB_READ_HOSTS. Reads go to the replicas, writes to the primary; a user
 * who wrote reads their own write (sticky within the request and, through the
 * session, for DB_STICKY_WINDOW seconds after it); a stopped replica and one more
 * than DB_REPLICA_MAX_LAG seconds behind are skipped without errors. Which server
 * answered is read from each server's own Com_select counter.
 */
import { generateAppKey } from "@marg/core/config";
import { createScratchRedisPrefix, createTempDir } from "@marg/core/testing";
import { waitFor } from "@marg/deploy/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormBrowser } from "../support/form-browser.js";
import { type AppProcesses, startAppProcesses } from "../support/ha/app-processes.js";
import { recordHaResult } from "../support/ha/ha-results.js";
import { startLoad } from "../support/ha/load-client.js";
import { type MariadbReplicaSet, startMariadbReplicaSet } from "../support/ha/mariadb-replica-set.js";
import { createMargInstallation } from "../support/marg-installation.js";

const ADA = { email: "ada@marg.localhost", password: "marg-demo-password" };
const MAX_LAG = 5;
const STICKY_WINDOW = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("phase 4: flow on a MariaDB primary with two GTID replicas", () => {
  const installation = createMargInstallation("ha-mysql");
  const temp = createTempDir("ha-mysql-servers");
  const redis = createScratchRedisPrefix("ha_mysql");
  let db: MariadbReplicaSet;
  let apps: AppProcesses;
  let writer: FormBrowser;
  let reader: FormBrowser;
  let created = 0;
  const site = () => ({ host: "flow.marg.test", port: apps.byName("flow-1").port });
  const signIn = async () => {
    const browser = new FormBrowser(site());
    expect((await browser.submit("/login", "/login", ADA)).status).toBe(303);
    return browser;
  };
  /** Creates a task through the HTML form; returns its page (the redirect target). */
  const createTask = async (browser: FormBrowser) => {
    const title = `HA task ${++created} ${Date.now()}`;
    const saved = await browser.submit("/tasks/new", "/tasks", { title, status: "todo", priority: "normal" });
    expect(saved.status, saved.body.slice(0, 300)).toBe(303);
    return { title, page: saved.location ?? "" };
  };
  const cookieOf = (browser: FormBrowser) =>
    [...browser.jar].map(([name, value]) => `${name}=${value}`).join("; ");
  const selects = () => [db.primary, ...db.replicas].map((node) => db.selects(node));
  /** Runs the GET load (and, with `write`, a task created every 300 ms) for `ms`; returns failures and where SELECTs went. */
  const mixedLoad = async (ms: number, write: boolean) => {
    const load = await startLoad({
      ...site(),
      path: "/tasks",
      cookie: cookieOf(reader),
      expect: "HA task",
      concurrency: 2,
      rate: 10,
    });
    try {
      const before = selects();
      const until = Date.now() + ms;
      let writes = 0;
      while (Date.now() < until) {
        if (write) {
          await createTask(writer);
          writes += 1;
        }
        await sleep(300);
      }
      const after = selects();
      const summary = await load.finish();
      const [primary = 0, ...replicas] = after.map((count, index) => count - (before[index] ?? 0));
      return { summary, writes, primary, replicas };
    } finally {
      await load.kill();
    }
  };

  beforeAll(async () => {
    db = await startMariadbReplicaSet(temp.path);
    installation.writeSharedEnv({
      APP_KEY: generateAppKey(),
      MARG_APPS: "flow",
      MARG_DOMAIN: "marg.test",
      SESSION_DOMAIN: ".marg.test",
      SESSION_DRIVER: "redis",
      CACHE_STORE: "redis",
      QUEUE_CONNECTION: "redis",
      REDIS_PREFIX: redis.prefix,
      MAIL_MAILER: "log",
      LOG_LEVEL: "warn",
      ...db.env,
      DB_STICKY: "true",
      DB_STICKY_WINDOW: String(STICKY_WINDOW),
      DB_REPLICA_MAX_LAG: String(MAX_LAG),
    });
    await installation.run(["migrate"]);
    await installation.run(["db:seed"]);
    apps = await startAppProcesses(installation, { flow: 1 });
    writer = await signIn();
    reader = await signIn();
    await createTask(writer);
  }, 150_000);

  afterAll(async () => {
    await apps?.stop();
    await db?.stop();
    await redis.clear();
    temp.remove();
    installation.remove();
  });

  it("sends reads to the replicas and writes to the primary under a mixed load", async () => {
    const { summary, writes, primary, replicas } = await mixedLoad(5_000, true);
    const replicaReads = replicas.reduce((sum, count) => sum + count, 0);
    const share = replicaReads / (replicaReads + primary);
    recordHaResult("mysql-mixed-load", {
      requests: summary.sent,
      failed: summary.failed,
      writes,
      primarySelects: primary,
      replicaSelects: replicas,
      replicaShare: Number(share.toFixed(3)),
    });
    expect(summary.failed).toBe(0);
    for (const count of replicas) expect(count).toBeGreaterThan(0);
    expect(share).toBeGreaterThan(0.5);
  }, 60_000);

  it("shows a user their own write at once while the replicas are behind (sticky via the session)", async () => {
    for (const replica of db.replicas) db.delay(replica, 3);
    try {
      await sleep(500);
      const { title, page } = await createTask(writer);
      // The writer's next request (a new request: only the session's sticky window can pin it).
      const own = await writer.get(page);
      // Another signed-in session of the same user, which wrote nothing, reads a replica 3 s behind.
      const other = await reader.get(page);
      recordHaResult("mysql-read-your-writes", {
        writerStatus: own.status,
        otherSessionStatus: other.status,
      });
      expect(own.status).toBe(200);
      expect(own.body).toContain(title);
      expect(other.status).toBe(404);
      await waitFor("the replicas to catch up", async () => (await reader.get(page)).status === 200, 20_000);
    } finally {
      for (const replica of db.replicas) db.delay(replica, 0);
    }
  }, 60_000);

  it("skips a stopped replica: its reads go elsewhere without errors", async () => {
    const [, stopped] = db.replicas;
    if (stopped === undefined) throw new Error("no second replica");
    const load = await startLoad({
      ...site(),
      path: "/tasks",
      cookie: cookieOf(reader),
      expect: "HA task",
      concurrency: 2,
      rate: 10,
    });
    let summary: Awaited<ReturnType<typeof load.finish>>;
    try {
      await sleep(1_000);
      db.kill(stopped);
      await sleep(4_000);
    } finally {
      summary = await load.finish();
    }
    const after = await mixedLoad(3_000, false);
    recordHaResult("mysql-replica-stopped", {
      requests: summary.sent + after.summary.sent,
      failed: summary.failed + after.summary.failed,
      primarySelects: after.primary,
      liveReplicaSelects: after.replicas[0],
    });
    expect(summary.failed).toBe(0);
    expect(after.summary.failed).toBe(0);
    expect(after.replicas[0]).toBeGreaterThan(0);
  }, 60_000);

  it(`skips a replica more than DB_REPLICA_MAX_LAG (${MAX_LAG} s) behind`, async () => {
    const [lagging] = db.replicas;
    if (lagging === undefined) throw new Error("no replica");
    db.delay(lagging, 120);
    try {
      // Writes make the delayed replica fall behind; the app's probe (every 5 s) then takes it out.
      const started = Date.now();
      while (!(Number(db.lag(lagging)) > MAX_LAG + 1) && Date.now() - started < 30_000) {
        await createTask(writer);
        await sleep(300);
      }
      await sleep(6_000);
      const { summary, primary, replicas } = await mixedLoad(3_000, false);
      recordHaResult("mysql-replica-lagging", {
        lagSeconds: Number(db.lag(lagging)),
        requests: summary.sent,
        failed: summary.failed,
        primarySelects: primary,
        laggingReplicaSelects: replicas[0],
      });
      expect(Number(db.lag(lagging))).toBeGreaterThan(MAX_LAG);
      expect(summary.failed).toBe(0);
      expect(replicas[0]).toBe(0);
      expect(primary).toBeGreaterThan(0);
    } finally {
      db.delay(lagging, 0);
    }
  }, 80_000);
});
