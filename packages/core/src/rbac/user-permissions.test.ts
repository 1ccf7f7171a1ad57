import { describe, expect, it } from "vitest";
import type { PermissionGrant } from "./types.js";
import { describeDecision, UserPermissions } from "./user-permissions.js";

const grants: PermissionGrant[] = [
  { permission: "tasks.*", app: "flow", role: "member" },
  { permission: "tasks.update", app: "flow", role: "editor" },
  { permission: "links.delete", app: "links", role: null },
];
const set = (roles: string[], list = grants) => ({ userId: 1, roles, grants: list, loadedAt: 0 });

describe("UserPermissions", () => {
  it("names the most specific grant: an exact one before a wildcard", () => {
    const perms = new UserPermissions(set(["editor", "member"]));
    expect(perms.decide("tasks.update")).toEqual({
      allowed: true,
      reason: "role",
      role: "editor",
      granted: "tasks.update",
    });
    expect(describeDecision(perms.decide("tasks.delete"), "tasks.delete")).toBe(
      "role 'member' grants 'tasks.*', which covers 'tasks.delete'",
    );
    expect(describeDecision(perms.decide("links.delete"), "links.delete")).toBe(
      "'links.delete' is granted to the user directly",
    );
  });

  it("ignores grants of permissions scoped to another app when it serves one app", () => {
    const inFlow = new UserPermissions(set(["member"]), "flow");
    expect(inFlow.can("tasks.view")).toBe(true);
    expect(inFlow.decide("links.delete")).toMatchObject({ allowed: false, reason: "other-app" });
    expect(new UserPermissions(set(["member"]), "links").can("links.delete")).toBe(true);
  });

  it("answers for another app as that app would, whatever app it serves", () => {
    const inFlow = new UserPermissions(set(["member"]), "flow");
    expect(inFlow.canIn("links", "links.delete")).toBe(true);
    expect(inFlow.canIn("links", "tasks.view")).toBe(false);
    expect(inFlow.can("links.delete")).toBe(false);
    expect(inFlow.can("tasks.delete")).toBe(true); // through the wildcard tasks.*, scoped to flow
    expect(inFlow.canIn("links", "tasks.delete")).toBe(false);
    expect(new UserPermissions(set(["member"])).canIn("admin", "tasks.update")).toBe(false);
    expect(new UserPermissions(set(["super-admin"], []), "flow").canIn("admin", "users.view")).toBe(true);
  });

  it("lets the super-admin pass every check and every role question unless asked exactly", () => {
    const perms = new UserPermissions(set(["super-admin"], []));
    expect(perms.can("anything.at.all")).toBe(true);
    expect(perms.hasRole("admin")).toBe(true);
    expect(perms.hasRole("admin", { exact: true })).toBe(false);
    expect(describeDecision(perms.decide("x.y"), "x.y")).toBe("role 'super-admin' passes every check");
  });

  it("says so when nothing grants the permission", () => {
    expect(describeDecision(new UserPermissions(set([], [])).decide("tasks.view"), "tasks.view")).toBe(
      "the user has no roles and no direct grant covers 'tasks.view'",
    );
    expect(new UserPermissions(set(["member"])).can("links.view")).toBe(false);
  });
});
