import { describe, expect, it } from "vitest";
import { TokenPermissions } from "./token-permissions.js";
import type { PermissionGrant } from "./types.js";
import { UserPermissions } from "./user-permissions.js";

const grant = (permission: string, app: string | null = null): PermissionGrant => ({
  permission,
  app,
  role: "member",
});

function holder(roles: string[], grants: PermissionGrant[], app = "flow"): UserPermissions {
  return new UserPermissions({ userId: 7, roles, grants, loadedAt: 0 }, app);
}

describe("TokenPermissions", () => {
  it("allows only what both the holder and one of the token's patterns allow", () => {
    const member = holder(
      ["member"],
      [grant("tasks.view", "flow"), grant("tasks.create", "flow"), grant("links.view", "links")],
    );
    const token = new TokenPermissions(member, ["tasks.*", "links.view"]);
    expect(token.can("tasks.view")).toBe(true);
    expect(token.can("tasks.create")).toBe(true);
    // The token covers it, the holder does not.
    expect(token.can("tasks.delete")).toBe(false);
    // The holder holds it, but only in links: not on flow.
    expect(token.can("links.view")).toBe(false);
    expect(token.canIn("links", "links.view")).toBe(true);
    expect(new TokenPermissions(member, ["tasks.view"]).can("tasks.create")).toBe(false);
    expect(token.decide("documents.view")).toMatchObject({ allowed: false });
  });

  it("keeps a super-admin's token to its patterns, and its role checks to a token carrying *", () => {
    const ada = holder(["super-admin"], []);
    const narrow = new TokenPermissions(ada, ["tasks.view"]);
    expect(narrow.can("tasks.view")).toBe(true);
    expect(narrow.can("users.manage")).toBe(false);
    expect(narrow.superAdmin).toBe(false);
    expect(narrow.hasRole("super-admin")).toBe(false);
    const whole = new TokenPermissions(ada, ["*"]);
    expect(whole.superAdmin).toBe(true);
    expect(whole.can("users.manage")).toBe(true);
    expect(whole.hasRole("admin")).toBe(true);
  });
});
