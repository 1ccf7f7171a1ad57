import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { RbacService } from "./rbac-service.js";
import { createRbacWarmJob, RBAC_WARM_JOB, warmRbacCache } from "./rbac-warm-job.js";
import {
  createRbacTestEnv,
  QueryCounter,
  RBAC_DRIVERS,
  type RbacTestEnv,
} from "./test-support/rbac-test-env.js";

const ACTIVE = 30;
const DISABLED = 3;

for (const driver of RBAC_DRIVERS) {
  describe(`the rbac:warm job on ${driver.name}`, () => {
    let env: RbacTestEnv;
    let admin: RbacService;
    let active: number[];
    let disabled: number[];

    beforeAll(async () => {
      env = await createRbacTestEnv(driver, "rbac_warm");
      admin = env.newService();
      await admin.createPermission("tasks.view");
      await admin.createRole("member");
      await admin.grant("member", "tasks.view");
      active = [];
      disabled = [];
      for (let i = 0; i < ACTIVE + DISABLED; i += 1) {
        const off = i % 11 === 5;
        const id = await env.addUser(`user${i}@example.test`, { disabled: off });
        (off ? disabled : active).push(id);
        await env.repository.link({
          table: "user_roles",
          user_id: id,
          role_id: (await env.repository.findRole("member"))?.id ?? 0,
        });
      }
      await admin.invalidateCache();
    });
    afterAll(() => env.destroy());

    it("loads every active user's permission set into the shared cache, a batch at a time", async () => {
      const result = await warmRbacCache({ rbac: admin, users: env.users }, { batchSize: 8 });
      expect(result).toMatchObject({ users: ACTIVE, written: ACTIVE, batches: Math.ceil(ACTIVE / 8) });

      // A server that has never seen these users answers them without touching the RBAC tables.
      const queries = new QueryCounter();
      const fresh = env.newService({ queries });
      for (const id of active) expect(await fresh.can(id, "tasks.view")).toBe(true);
      expect(queries.count).toBe(0);
      // Disabled users were skipped, so their first check reads the database.
      expect(await fresh.can(disabled[0] ?? 0, "tasks.view")).toBe(true);
      expect(queries.count).toBeGreaterThan(0);
    });

    it("runs as a job with a validated payload, for all active users or the ones named", async () => {
      const job = createRbacWarmJob({ rbac: admin, users: env.users });
      expect(job.name).toBe(RBAC_WARM_JOB);
      const logged: Record<string, unknown>[] = [];
      const log = { info: (data: Record<string, unknown>) => void logged.push(data) };
      await job.handler(undefined, { log });
      await job.handler({ userIds: active.slice(0, 2) }, { log });
      expect(logged).toMatchObject([
        { users: ACTIVE, written: ACTIVE },
        { users: 2, written: 2 },
      ]);
      await expect(job.handler({ userIds: ["ann"] })).rejects.toMatchObject({
        code: "E_VALIDATION",
        message: expect.stringContaining("userIds.0"),
      });
      await expect(job.handler({ everyone: true })).rejects.toMatchObject({ code: "E_VALIDATION" });
    });

    it("writes nothing when RBAC_CACHE_ENABLED=false", async () => {
      const uncached = env.newService({ cacheEnabled: false });
      expect(await warmRbacCache({ rbac: uncached, users: env.users })).toMatchObject({
        users: ACTIVE,
        written: 0,
      });
    });
  });
}
