import { auditAccountEventLog, auditMigrations } from "@marg/core/audit";
import { ARGON2_INSECURE_TEST_PARAMS, PasswordHasher, UserRepository } from "@marg/core/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AuditLog } from "../audit/repository.js";
import { asAuthDb } from "../database.js";
import { type AuditDb, type AuditDbDriver, migrateSet } from "./audit-db-drivers.js";

/** The audit log's behaviour, the same on every SQL driver. */
export function defineAuditLogSuite(driver: AuditDbDriver): void {
  describe(`audit log on ${driver.name}`, () => {
    let store: AuditDb;
    let clock = 1_000;
    let audit: AuditLog;
    let users: UserRepository;
    let actorId = 0;

    beforeAll(async () => {
      store = await driver.open(`admin-audit-${driver.name}`);
      await migrateSet(store.db, auditMigrations, "up");
      audit = new AuditLog(store.db, { now: () => clock });
      users = new UserRepository(asAuthDb(store.db), {
        hasher: new PasswordHasher({ params: ARGON2_INSECURE_TEST_PARAMS }),
      });
      actorId = (
        await users.create({ name: "Grace", email: "grace@x.test", password: "correct horse battery" })
      ).id;
    });
    afterAll(async () => store?.cleanup());

    it("creates audit_log with indexes on time, subject and actor", async () => {
      const indexes = await store.indexes("audit_log");
      expect(indexes.audit_log_created_at_index).toEqual(["created_at"]);
      expect(indexes.audit_log_subject_index).toEqual(["subject_type", "subject_id", "created_at"]);
      expect(indexes.audit_log_actor_index).toEqual(["actor_user_id", "created_at"]);
    });

    it("keeps who, what, which subject, when, before and after, and names the actor", async () => {
      clock = 2_000;
      await audit.record({
        actorUserId: actorId,
        action: "user.disable",
        subjectType: "user",
        subjectId: 7,
        before: { disabled: false, note: "ünïcode ✓" },
        after: { disabled: true },
        ip: "2001:db8::1",
      });
      const page = await audit.list();
      expect(page.items[0]).toEqual({
        id: expect.any(Number),
        actorUserId: actorId,
        actorName: "Grace",
        action: "user.disable",
        subjectType: "user",
        subjectId: "7",
        before: { disabled: false, note: "ünïcode ✓" },
        after: { disabled: true },
        ip: "2001:db8::1",
        createdAt: 2_000,
      });
    });

    it("lists newest first, filtered by action (or its prefix), subject and actor, in pages", async () => {
      for (const [i, action] of ["role.grant", "role.revoke", "user.enable"].entries()) {
        clock = 3_000 + i;
        await audit.record({
          actorUserId: null,
          action,
          subjectType: action.split(".")[0] ?? "",
          subjectId: "x",
        });
      }
      expect((await audit.list()).items.map((item) => item.action)).toEqual([
        "user.enable",
        "role.revoke",
        "role.grant",
        "user.disable",
      ]);
      expect((await audit.list({ action: "role." })).total).toBe(2);
      expect((await audit.list({ action: "role" })).total).toBe(0);
      expect((await audit.list({ subjectType: "user", subjectId: "7" })).items).toHaveLength(1);
      expect((await audit.list({ actorUserId: actorId })).total).toBe(1);
      const second = await audit.list({ perPage: 3, page: 2 });
      expect(second).toMatchObject({ total: 4, pages: 2, page: 2 });
      expect(second.items.map((item) => item.action)).toEqual(["user.disable"]);
      expect((await audit.list({ action: "role.grant" })).items[0]?.actorName).toBeNull();
    });

    it("writes the change and its row together, and neither when the change fails", async () => {
      const before = (await audit.list()).total;
      await audit.change(async (trx) => {
        const user = await users.withDb(asAuthDb(trx)).updateProfile(actorId, { name: "Grace H." });
        return {
          result: user,
          audit: { actorUserId: actorId, action: "user.rename", subjectType: "user", subjectId: actorId },
        };
      });
      expect((await audit.list()).total).toBe(before + 1);
      await expect(
        audit.change(async (trx) => {
          await users.withDb(asAuthDb(trx)).updateProfile(actorId, { name: "Never Saved" });
          await audit.record(
            { actorUserId: actorId, action: "user.rename", subjectType: "user", subjectId: actorId },
            trx,
          );
          throw new Error("the change failed half way");
        }),
      ).rejects.toThrow("half way");
      expect((await audit.list()).total).toBe(before + 1);
      expect((await users.findById(actorId))?.name).toBe("Grace H.");
    });

    it("keeps account events from every app in the same trail, as account.<type> rows", async () => {
      const events = auditAccountEventLog(audit, { error: () => {} });
      clock = 5_000;
      await events.record({ type: "sign-in", userId: actorId, ip: "203.0.113.9", app: "flow" });
      clock = 5_001;
      await events.record({
        type: "sign-in.failed",
        userId: null,
        ip: "203.0.113.10",
        app: "links",
        detail: { reason: "invalid" },
      });
      clock = 5_002;
      await events.record({ type: "user.created", userId: actorId, actorId: null, detail: { via: "cli" } });
      const page = await audit.list({ action: "account." });
      expect(
        page.items.map((item) => [item.action, item.actorUserId, item.subjectId, item.ip, item.after]),
      ).toEqual([
        ["account.user.created", null, String(actorId), null, { via: "cli" }],
        ["account.sign-in.failed", null, "", "203.0.113.10", { app: "links", reason: "invalid" }],
        ["account.sign-in", actorId, String(actorId), "203.0.113.9", { app: "flow" }],
      ]);
      // The account's owner signing in is its actor, so the trail names them.
      expect(page.items[2]?.actorName).toBe("Grace H.");
    });

    it("logs, and does not throw, when an account event cannot be written", async () => {
      const lines: string[] = [];
      const logger = { error: (_fields: object, message: string) => lines.push(message) };
      const broken = new AuditLog(store.db, {
        now: () => {
          throw new Error("clock broke");
        },
      });
      await expect(
        auditAccountEventLog(broken, logger).record({ type: "sign-out", userId: actorId }),
      ).resolves.toBeUndefined();
      expect(lines).toEqual(["account event sign-out not written to the audit log"]);
    });

    it("rolls back cleanly", async () => {
      await migrateSet(store.db, auditMigrations, "down");
      expect(await store.indexes("audit_log")).toEqual({});
      await migrateSet(store.db, auditMigrations, "up");
      expect((await audit.list()).total).toBe(0);
    });
  });
}
