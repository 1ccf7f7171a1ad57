/**
 * Issue 9, scenario 2 (phase 4 of the seed): Redis as a primary, one replica and
 * three Sentinels, all from files rendered for phase4-ha.yml; an app process and a
 * `marg work` process configured with the rendered REDIS_SENTINELS /
 * REDIS_SENTINEL_SERVICE. The primary is killed under load, later demoted while
 * running (READONLY), and the Sentinels are made unreachable for a while: users
 * stay signed in, a sign-out stays a sign-out, every acknowledged job runs.
 * Measured numbers go to test-artifacts/ha/.
 */
import { generateAppKey } from "@marg/core/config";
import { createTempDir } from "@marg/core/testing";
import { waitFor } from "@marg/deploy/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormBrowser } from "../support/form-browser.js";
import { type AppProcesses, startAppProcesses } from "../support/ha/app-processes.js";
import { recordHaResult } from "../support/ha/ha-results.js";
import { startLoad } from "../support/ha/load-client.js";
import { type MailJobs, openMailJobs } from "../support/ha/mail-jobs.js";
import { type SentinelCluster, startSentinelCluster } from "../support/ha/redis-sentinel-cluster.js";
import { createMargInstallation } from "../support/marg-installation.js";
import { MARG_BIN, type RunningProcess, startProcess } from "../support/spawn-process.js";

const ADA = { email: "ada@marg.localhost", password: "marg-demo-password", name: "Ada Lovelace" };
const GRACE = { email: "grace@marg.localhost", password: "marg-demo-password" };
const SESSIONS_BEFORE = 5;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("phase 4: Redis primary + replica + three Sentinels, apps and a worker through Sentinel", () => {
  const installation = createMargInstallation("ha-sentinel");
  const temp = createTempDir("ha-sentinel-redis");
  let redis: SentinelCluster;
  let apps: AppProcesses;
  let worker: RunningProcess;
  let jobs: MailJobs;
  const site = () => ({ host: "flow.marg.test", port: apps.byName("flow-1").port });
  const signedIn = async (browser: FormBrowser) => {
    const page = await browser.get("/account");
    return page.status === 200 && page.body.includes(ADA.name);
  };
  const signIn = async (who: { email: string; password: string }) => {
    const browser = new FormBrowser(site());
    const response = await browser.submit("/login", "/login", { email: who.email, password: who.password });
    expect(response.status).toBe(303);
    return browser;
  };
  let ada: FormBrowser;

  beforeAll(async () => {
    redis = await startSentinelCluster(temp.path);
    installation.writeSharedEnv({
      APP_KEY: generateAppKey(),
      MARG_APPS: "flow",
      MARG_DOMAIN: "marg.test",
      SESSION_DOMAIN: ".marg.test",
      SESSION_DRIVER: "redis",
      QUEUE_CONNECTION: "redis",
      CACHE_STORE: "database",
      MAIL_MAILER: "log",
      LOG_LEVEL: "warn",
      ...redis.env,
    });
    await installation.run(["migrate"]);
    await installation.run(["db:seed"]);
    apps = await startAppProcesses(installation, { flow: 1 });
    worker = startProcess("node", [MARG_BIN, "work", "redis", "--concurrency", "5"], {
      env: { MARG_ROOT: installation.root, MARG_INSTANCE: "worker-1" },
    });
    jobs = await openMailJobs(installation.root);
    ada = await signIn(ADA);
  }, 120_000);

  afterAll(async () => {
    await jobs?.close();
    await worker?.stop(3_000);
    await apps?.stop();
    await redis?.stop();
    temp.remove();
    installation.remove();
  });

  it("reaches Redis through the Sentinels: signed in, jobs run", async () => {
    expect(redis.env.REDIS_SENTINELS?.split(",")).toHaveLength(3);
    expect(await signedIn(ada)).toBe(true);
    // The sign-in waited for the replica (WAIT 1 100), as every sign-in and sign-out does under Sentinel.
    expect(redis.cli(redis.primary.port, "INFO", "commandstats")).toMatch(/cmdstat_wait:calls=[1-9]/);
    const { acknowledged } = await jobs.dispatch("warmup", 10);
    await waitFor("the warm-up jobs", () => jobs.handled(acknowledged).length === 10, 30_000);
  });

  it("survives kill -9 of the primary under load: sessions kept, the sign-out kept, every job run", async () => {
    const sessions = await Promise.all(Array.from({ length: SESSIONS_BEFORE }, () => signIn(ADA)));
    const grace = await signIn(GRACE);
    const stolen = grace.clone();
    const cookie = [...ada.jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const load = await startLoad({
      port: site().port,
      host: site().host,
      path: "/account",
      cookie,
      expect: ADA.name,
      concurrency: 3,
      rate: 10,
    });
    try {
      const before = await jobs.dispatch("before", 200);
      // The sign-out is the last thing acknowledged before the crash.
      expect((await grace.submit("/account", "/logout", {})).status).toBe(303);
      const killedAt = Date.now();
      redis.kill(redis.primary);
      await waitFor(
        "the Sentinels to promote the replica",
        () => redis.masterPort() === String(redis.replica.port),
        30_000,
      );
      const failoverMs = Date.now() - killedAt;
      await waitFor("the app to serve Ada again", () => signedIn(ada), 30_000);
      const appBackMs = Date.now() - killedAt;
      const after = await jobs.dispatch("after", 100);
      const acknowledged = [...before.acknowledged, ...after.acknowledged];
      await waitFor(
        "every acknowledged job",
        () => jobs.handled(acknowledged).length === acknowledged.length,
        40_000,
      ).catch(() => {});
      await sleep(1_000);
      const summary = await load.finish();
      const surviving = (await Promise.all(sessions.map(signedIn))).filter(Boolean).length;
      const lateFailures = summary.failures.filter((failure) => failure.at > killedAt + appBackMs);
      recordHaResult("redis-failover", {
        failoverMs,
        appWithoutRedisMs: appBackMs,
        requests: summary.sent,
        failedRequests: summary.failed,
        failedAfterSwitch: lateFailures.length,
        sessionsLost: SESSIONS_BEFORE - surviving,
        jobsAcknowledged: acknowledged.length,
        jobsRefused: before.refused + after.refused,
        jobsLost: acknowledged.length - jobs.handled(acknowledged).length,
      });
      expect(SESSIONS_BEFORE - surviving).toBe(0);
      expect((await stolen.get("/account")).status).toBe(303);
      expect(jobs.handled(acknowledged)).toHaveLength(acknowledged.length);
      expect(lateFailures).toEqual([]);
    } finally {
      await load.kill();
    }
  }, 90_000);

  it("handles READONLY from a demoted primary: a Sentinel failover while it runs fails no request", async () => {
    redis.restart(redis.primary);
    await waitFor(
      "the old primary back as a replica in sync",
      () => {
        const info = redis.cli(redis.primary.port, "INFO", "replication");
        return info.includes("role:slave") && info.includes("master_link_status:up");
      },
      30_000,
    );
    await waitFor(
      "the Sentinels to count it as a replica",
      () => redis.masterInfo()["num-slaves"] === "1",
      20_000,
    );
    const cookie = [...ada.jar].map(([name, value]) => `${name}=${value}`).join("; ");
    const load = await startLoad({
      port: site().port,
      host: site().host,
      path: "/account",
      cookie,
      expect: ADA.name,
      concurrency: 3,
      rate: 10,
    });
    try {
      await sleep(1_000);
      const switchedAt = Date.now();
      expect(redis.failover()).toBe("OK");
      await waitFor(
        "the switch back to redis-1",
        () => redis.masterPort() === String(redis.primary.port),
        30_000,
      );
      const switchMs = Date.now() - switchedAt;
      // A write the old master took after the promotion, before Sentinel demoted it, is lost on
      // resync (Redis's asynchronous replication): a guest session with its CSRF token can vanish,
      // and the sign-in form answers 403 once. Counted, then tried again, as a person would.
      let formsRefused = 0;
      let sessionAfter = new FormBrowser(site());
      for (;;) {
        sessionAfter = new FormBrowser(site());
        const response = await sessionAfter.submit("/login", "/login", {
          email: ADA.email,
          password: ADA.password,
        });
        if (response.status === 303 || formsRefused >= 3) break;
        formsRefused += 1;
      }
      const { acknowledged } = await jobs.dispatch("readonly", 50);
      await waitFor("the jobs after the switch", () => jobs.handled(acknowledged).length === 50, 30_000);
      await sleep(2_000);
      const summary = await load.finish();
      recordHaResult("redis-readonly-switch", {
        switchMs,
        requests: summary.sent,
        failedRequests: summary.failed,
        signInFormsRefused: formsRefused,
        failures: summary.failures,
      });
      expect(await signedIn(sessionAfter)).toBe(true);
      expect(summary.failures.filter((failure) => failure.at > switchedAt + switchMs)).toEqual([]);
    } finally {
      await load.kill();
    }
  }, 90_000);

  it("resumes the worker after the Sentinels were unreachable and every connection dropped", async () => {
    const master = Number(redis.masterPort());
    redis.freezeSentinels();
    const frozenAt = Date.now();
    // Every client of the master loses its connection and must ask a Sentinel where to go.
    redis.cli(master, "CLIENT", "KILL", "TYPE", "normal");
    await sleep(10_000);
    redis.thawSentinels();
    const unreachableMs = Date.now() - frozenAt;
    const { acknowledged } = await jobs.dispatch("after-sentinel-outage", 50);
    await waitFor(
      "jobs after the Sentinel outage",
      () => jobs.handled(acknowledged).length === acknowledged.length,
      40_000,
    ).catch(() => {});
    recordHaResult("redis-sentinel-outage", {
      sentinelsUnreachableMs: unreachableMs,
      jobsAcknowledged: acknowledged.length,
      jobsLost: acknowledged.length - jobs.handled(acknowledged).length,
    });
    expect(acknowledged.length).toBe(50);
    expect(jobs.handled(acknowledged)).toHaveLength(50);
    expect(await signedIn(ada)).toBe(true);
  }, 90_000);
});
