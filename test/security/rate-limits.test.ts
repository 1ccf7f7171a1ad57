/**
 * Every door is rate limited, and the limit is one for the whole installation: two
 * `marg serve` processes count into the same window, in Redis when Redis is
 * configured and in the shared SQLite database otherwise. Each attacker connects
 * from its own loopback address, so per-address budgets do not mix.
 */
import path from "node:path";
import { createScratchRedisPrefix, type ScratchRedisPrefix, TEST_REDIS } from "@marg/core/testing";
import { api } from "@marg/flow/testing";
import SQLite from "better-sqlite3";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FormBrowser, PageResponse, Site } from "../support/form-browser.js";
import type { RunningProcess } from "../support/spawn-process.js";
import { createSecurityInstallation, SEEDED, type SecurityInstallation } from "./security-installation.js";

const LIMITS = {
  REGISTRATION_ENABLED: "true",
  RATE_LIMIT_FORGOT_PASSWORD_EMAIL: "3/15m",
  RATE_LIMIT_FORGOT_PASSWORD_IP: "6/15m",
  RATE_LIMIT_REGISTER_IP: "2/1h",
  RATE_LIMIT_RESET_PASSWORD_IP: "3/15m",
  RATE_LIMIT_PASSWORD_CHANGE: "3/15m",
  RATE_LIMIT_API_WRITES: "3/1m",
};

function expectRefused(response: PageResponse, what: string): void {
  expect(response.status).toBe(429);
  expect(Number(response.headers["retry-after"])).toBeGreaterThan(0);
  expect(response.body).toContain(`Too many ${what}.`);
}

describe("rate limits on every door, shared by every process", () => {
  let security: SecurityInstallation;

  beforeAll(async () => {
    security = await createSecurityInstallation("rate-limits");
  }, 180_000);
  afterAll(async () => {
    await security?.stop();
  });

  for (const store of ["database", "redis"] as const) {
    describe(`with the ${store === "redis" ? "Redis" : "embedded (SQLite)"} store`, () => {
      let redis: ScratchRedisPrefix | undefined;
      const servers: RunningProcess[] = [];
      let sites: Site[] = [];
      // Requests alternate between the two processes.
      let turn = 0;
      const next = () => sites[turn++ % 2] as Site;
      const from = (address: string, browser?: FormBrowser) =>
        browser === undefined
          ? security.browser(next(), address)
          : browser.at({ ...next(), localAddress: address });

      beforeAll(async () => {
        redis = store === "redis" ? createScratchRedisPrefix("rate_limits") : undefined;
        const env = {
          ...LIMITS,
          ...(redis === undefined ? {} : { SESSION_DRIVER: "redis", REDIS_PREFIX: redis.prefix }),
        };
        for (let i = 0; i < 2; i++) {
          const started = await security.serve(env);
          servers.push(started.process);
          sites.push(started.site);
        }
      }, 180_000);
      afterAll(async () => {
        await Promise.all(servers.map((server) => server.stop(5_000)));
        sites = [];
        await redis?.clear();
      });

      it("sends at most 3 reset mails for one address, counted across both processes, then answers 429 with Retry-After", async () => {
        for (let i = 1; i <= 3; i++) {
          const asked = await from("127.0.0.21").submit("/forgot-password", "/forgot-password", {
            email: "victim@example.com",
          });
          expect(asked.status, `request ${i}`).toBe(200);
        }
        const fourth = await from("127.0.0.31").submit("/forgot-password", "/forgot-password", {
          email: "VICTIM@example.com",
        });
        expectRefused(fourth, "password-reset mails for this email address");
        expect(fourth.headers["content-type"]).toMatch(/^text\/html/);
        const browser = from("127.0.0.32");
        const csrf =
          /name="_csrf" value="([^"]*)"/.exec((await browser.get("/forgot-password")).body)?.[1] ?? "";
        const json = await browser.post(
          "/forgot-password",
          { email: "victim@example.com" },
          { headers: { accept: "application/json", "x-csrf-token": csrf } },
        );
        expect(json.status).toBe(429);
        expect(Number(json.headers["retry-after"])).toBeGreaterThan(0);
        expect(JSON.parse(json.body)).toMatchObject({ error: { code: "E_HTTP_RATE_LIMITED" } });
      });

      it("stops one client address asking for many different addresses at its own budget", async () => {
        for (let i = 1; i <= 6; i++) {
          const asked = await from("127.0.0.22").submit("/forgot-password", "/forgot-password", {
            email: `someone${i}@example.com`,
          });
          expect(asked.status, `request ${i}`).toBe(200);
        }
        const seventh = await from("127.0.0.22").submit("/forgot-password", "/forgot-password", {
          email: "someone7@example.com",
        });
        expectRefused(seventh, "password-reset requests from your address");
        // Another address still gets its mail.
        const other = await from("127.0.0.33").submit("/forgot-password", "/forgot-password", {
          email: "someone7@example.com",
        });
        expect(other.status).toBe(200);
      });

      it("limits sign-ups per client address", async () => {
        for (let i = 1; i <= 2; i++) {
          const posted = await from("127.0.0.23").submit("/register", "/register", {
            name: `Bot ${i}`,
            email: `bot${i}-${store}@example.com`,
            password: "a long enough passphrase",
          });
          expect(posted.status, `sign-up ${i}`).not.toBe(429);
          expect(posted.status, `sign-up ${i}`).toBeLessThan(500);
        }
        const third = await from("127.0.0.23").submit("/register", "/register", {
          name: "Bot 3",
          email: `bot3-${store}@example.com`,
          password: "a long enough passphrase",
        });
        expectRefused(third, "sign-ups from your address");
      });

      it("limits new-password posts (token guesses) per client address", async () => {
        for (let i = 1; i <= 3; i++) {
          const guess = await from("127.0.0.24").submit("/reset-password", "/reset-password", {
            token: `guessed-token-${i}`,
            password: "a long enough passphrase",
          });
          expect(guess.status, `guess ${i}`).toBeGreaterThanOrEqual(400);
          expect(guess.status, `guess ${i}`).toBeLessThan(429);
        }
        const fourth = await from("127.0.0.24").submit("/reset-password", "/reset-password", {
          token: "guessed-token-4",
          password: "a long enough passphrase",
        });
        expectRefused(fourth, "new-password attempts from your address");
      });

      it("limits current-password checks per user, whichever address and process they come from", async () => {
        const ada = from("127.0.0.25");
        expect(
          (await ada.submit("/login", "/login", { email: SEEDED.email, password: SEEDED.password })).status,
        ).toBe(303);
        for (let i = 1; i <= 3; i++) {
          const wrong = await from(`127.0.0.${25 + i}`, ada).submit("/account", "/account/password", {
            current_password: `not it ${i}`,
            password: "a brand new passphrase",
          });
          expect(wrong.status, `check ${i}`).toBe(422);
        }
        const right = await from("127.0.0.29", ada).submit("/account", "/account/password", {
          current_password: SEEDED.password,
          password: "a brand new passphrase",
        });
        expectRefused(right, "password changes for your account");
      });

      it("limits /api/v1 writes per user, answering JSON with Retry-After", async () => {
        const ada = from("127.0.0.30");
        await ada.submit("/login", "/login", { email: SEEDED.email, password: SEEDED.password });
        for (let i = 1; i <= 3; i++) {
          const write = await api(from("127.0.0.30", ada), "POST", "/api/v1/tasks", { json: {} });
          expect(write.status, `write ${i}`).toBe(422);
        }
        const fourth = await api(from("127.0.0.30", ada), "POST", "/api/v1/tasks", { json: {} });
        expect(fourth.status).toBe(429);
        expect(Number(fourth.headers["retry-after"])).toBeGreaterThan(0);
        expect(fourth.json).toMatchObject({
          error: { code: "E_HTTP_RATE_LIMITED", message: expect.stringContaining("Too many API writes.") },
        });
        // Reads are not writes.
        expect((await api(from("127.0.0.30", ada), "GET", "/api/v1/tasks")).status).toBe(200);
      });

      it(`keeps the counters in ${store === "redis" ? "Redis" : "the shared SQLite database"}, under digests only`, async () => {
        let keys: string[];
        if (redis !== undefined) {
          const client = new Redis({ ...TEST_REDIS, maxRetriesPerRequest: 1 });
          try {
            keys = await client.keys(`${redis.prefix}*rate:*`);
          } finally {
            client.disconnect();
          }
        } else {
          const file = path.join(security.installation.root, "storage", "database", "marg-rbac.sqlite");
          const db = new SQLite(file, { readonly: true, fileMustExist: true });
          try {
            keys = (
              db
                .prepare("SELECT throttle_key FROM login_attempts WHERE throttle_key LIKE 'rate:%'")
                .all() as {
                throttle_key: string;
              }[]
            ).map((row) => row.throttle_key);
          } finally {
            db.close();
          }
        }
        const names = new Set(keys.map((key) => /rate:([a-z-]+):/.exec(key)?.[1]));
        for (const name of [
          "forgot-password-email",
          "forgot-password-ip",
          "register-ip",
          "reset-password-ip",
          "password-change",
          "api-writes",
        ])
          expect(names, name).toContain(name);
        expect(keys.join(" ")).not.toMatch(/victim|example|127\.0/);
      });
    });
  }
});
