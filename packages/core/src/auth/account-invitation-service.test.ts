import { createHash } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AccountInvitationService,
  INVITE_LINK_TTL_MS,
  SIGNUP_LINK_TTL_MS,
} from "./account-invitation-service.js";
import {
  type AuthTestDatabase,
  codeOf,
  createManualClock,
  createTestHasher,
  DIALECTS,
  openAuthTestDatabase,
} from "./auth-test-support.js";
import { UserRepository } from "./user-repository.js";

const PASSWORD = "a long enough passphrase";

for (const dialect of DIALECTS) {
  describe(`AccountInvitationService on ${dialect}`, () => {
    let database: AuthTestDatabase;
    let users: UserRepository;
    let invitations: AccountInvitationService;
    const clock = createManualClock();

    beforeAll(async () => {
      database = await openAuthTestDatabase(dialect, "invitations");
      users = new UserRepository(database.db, { hasher: createTestHasher(), clock });
      invitations = new AccountInvitationService({ db: database.db, users, clock });
    });
    afterAll(() => database.close());

    it("stores only the SHA-256 of a 32-byte token; a sign-up link lasts a day, an invitation a week", async () => {
      const signup = await invitations.issue({ email: "New@Example.com", purpose: "signup" });
      const invite = await invitations.issue({
        email: "guest@example.com",
        purpose: "invite",
        roles: ["viewer"],
        invitedBy: 7,
      });
      expect(signup.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
      expect(signup.invitation).toMatchObject({ email: "New@Example.com", purpose: "signup", roles: [] });
      expect(signup.invitation.expiresAt).toBe(clock() + SIGNUP_LINK_TTL_MS);
      expect(invite.invitation).toMatchObject({ roles: ["viewer"], invitedBy: 7 });
      expect(invite.invitation.expiresAt).toBe(clock() + INVITE_LINK_TTL_MS);
      const rows = await database.db.selectFrom("account_invitations").selectAll().execute();
      expect(rows.map((row) => row.token_hash)).toContain(
        createHash("sha256").update(signup.token).digest("hex"),
      );
      expect(JSON.stringify(rows)).not.toContain(signup.token);
      expect(JSON.stringify(rows)).not.toContain(invite.token);
    });

    it("creates no account until the link is used, then creates it once with the chosen name and password", async () => {
      const { token } = await invitations.issue({
        email: "once@example.com",
        purpose: "invite",
        roles: ["member"],
      });
      expect(await users.findByEmail("once@example.com")).toBeNull();
      const { user, invitation } = await invitations.accept(token, { name: "Once", password: PASSWORD });
      expect(user).toMatchObject({ email: "once@example.com", name: "Once" });
      expect(invitation.roles).toEqual(["member"]);
      expect(await invitations.find(token)).toBeNull();
      expect(await codeOf(invitations.accept(token, { name: "Twice", password: PASSWORD }))).toBe(
        "E_AUTH_INVITATION_INVALID",
      );
      const used = await database.db
        .selectFrom("account_invitations")
        .select(["user_id", "used_at"])
        .where("id", "=", invitation.id)
        .executeTakeFirstOrThrow();
      expect(Number(used.user_id)).toBe(user.id);
      expect(Number(used.used_at)).toBe(clock());
    });

    it("lets only one of two racing uses of a link create the account", async () => {
      const { token } = await invitations.issue({ email: "race@example.com", purpose: "signup" });
      const results = await Promise.allSettled([
        invitations.accept(token, { name: "A", password: PASSWORD }),
        invitations.accept(token, { name: "B", password: PASSWORD }),
      ]);
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    });

    it("refuses an expired link", async () => {
      const { token } = await invitations.issue({ email: "late@example.com", purpose: "signup" });
      clock.advance(SIGNUP_LINK_TTL_MS + 1);
      expect(await invitations.find(token)).toBeNull();
      expect(await codeOf(invitations.accept(token, { name: "Late", password: PASSWORD }))).toBe(
        "E_AUTH_INVITATION_INVALID",
      );
      expect(await users.findByEmail("late@example.com")).toBeNull();
    });

    it("keeps the link usable after a weak password or an empty name, so the form can be fixed", async () => {
      const { token } = await invitations.issue({ email: "fix@example.com", purpose: "signup" });
      expect(await codeOf(invitations.accept(token, { name: "Fix", password: "short" }))).toBe(
        "E_AUTH_PASSWORD_WEAK",
      );
      expect(await codeOf(invitations.accept(token, { name: " ", password: PASSWORD }))).toBe(
        "E_AUTH_NAME_INVALID",
      );
      expect((await invitations.accept(token, { name: "Fixed", password: PASSWORD })).user.name).toBe(
        "Fixed",
      );
    });

    it("refuses nonsense tokens without touching the table", async () => {
      for (const token of [undefined, "", 42, "x".repeat(500), "not-a-token"]) {
        expect(await invitations.find(token)).toBeNull();
        expect(await codeOf(invitations.accept(token, { name: "X", password: PASSWORD }))).toBe(
          "E_AUTH_INVITATION_INVALID",
        );
      }
    });

    it("says E_AUTH_EMAIL_TAKEN when the address got an account after the link was mailed", async () => {
      const { token } = await invitations.issue({ email: "meanwhile@example.com", purpose: "signup" });
      await users.create({ email: "meanwhile@example.com", name: "First", password: PASSWORD });
      expect(await codeOf(invitations.accept(token, { name: "Second", password: PASSWORD }))).toBe(
        "E_AUTH_EMAIL_TAKEN",
      );
    });

    it("prunes links that expired or were used over a day ago", async () => {
      clock.advance(INVITE_LINK_TTL_MS + 25 * 60 * 60 * 1000);
      expect(await invitations.prune()).toBeGreaterThan(0);
      const left = await database.db.selectFrom("account_invitations").select("id").execute();
      expect(left).toHaveLength(0);
    });
  });
}
