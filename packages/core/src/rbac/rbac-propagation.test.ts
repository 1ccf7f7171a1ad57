import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RbacService } from "./rbac-service.js";
import { type CheckProcess, startCheckProcess } from "./test-support/check-process-client.js";
import type { CheckTarget } from "./test-support/rbac-check-process.js";
import { createRbacTestEnv, RBAC_DRIVERS, type RbacTestEnv } from "./test-support/rbac-test-env.js";

// One second Node process serves every driver below: starting Node with tsx is the slow part.
let second: CheckProcess;
beforeAll(async () => {
  second = await startCheckProcess();
}, 60_000);
afterAll(() => second?.stop());

for (const driver of RBAC_DRIVERS) {
  describe(`a change seen by a second server process (${driver.name})`, () => {
    let env: RbacTestEnv;
    let admin: RbacService;
    let target: CheckTarget;
    let ann: number;

    beforeAll(async () => {
      env = await createRbacTestEnv(driver, "rbac_propagation");
      admin = env.newService();
      ann = await env.addUser("ann@example.test");
      await admin.createPermission("links.delete");
      await admin.createRole("editor");
      await admin.grant("editor", "links.delete");
      await admin.assign(ann, "editor");
      target = {
        sql: driver.sql,
        target: env.location.target,
        cache: driver.cache,
        redisPrefix: env.redisPrefix,
      };
    });
    afterAll(() => env.destroy());

    it("answers no within one second of a revoke, although it had the grant cached", async () => {
      const first = await second.can(target, ann, "links.delete");
      expect(first.allowed).toBe(true);
      const cached = await second.can(target, ann, "links.delete");
      expect(cached).toEqual({ allowed: true, queries: first.queries }); // served from its cache

      await admin.revoke("editor", "links.delete");
      await expect
        .poll(async () => (await second.can(target, ann, "links.delete")).allowed, {
          timeout: 1000,
          interval: 20,
        })
        .toBe(false);
    });
  });
}
