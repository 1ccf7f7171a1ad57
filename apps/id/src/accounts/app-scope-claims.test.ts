import { type PermissionGrant, UserPermissions } from "@marg/core/rbac";
import { describe, expect, it } from "vitest";
import { appScopeClaims } from "./app-scope-claims.js";

// As seeded: a permission belongs to an app by its `app` column, not by its name (flow's are `tasks.*`).
const CATALOGUE = [
  { name: "links.view", app: "links" },
  { name: "links.create", app: "links" },
  { name: "links.delete", app: "links" },
  { name: "tasks.view", app: "flow" },
  { name: "tasks.create", app: "flow" },
  { name: "users.manage", app: "admin" },
  { name: "*", app: null },
];

function permsOf(roles: string[], grants: PermissionGrant[]): UserPermissions {
  return new UserPermissions({ userId: 7, roles, grants, loadedAt: 0 });
}

describe("the roles and permissions claims of a client's app scope", () => {
  it("lists the app's permissions the user holds, wildcards resolved, never another app's", () => {
    const perms = permsOf(
      ["editor", "tasker"],
      [
        { permission: "links.*", app: null, role: "editor" },
        { permission: "tasks.view", app: null, role: "tasker" },
      ],
    );
    expect(appScopeClaims(perms, "links", CATALOGUE)).toEqual({
      roles: ["editor"],
      permissions: ["links.view", "links.create", "links.delete"],
    });
    expect(appScopeClaims(perms, "flow", CATALOGUE)).toEqual({
      roles: ["tasker"],
      permissions: ["tasks.view"],
    });
  });

  it("leaves out grants scoped to another app and roles that give nothing in this one", () => {
    const perms = permsOf(
      ["viewer", "ops"],
      [
        { permission: "links.view", app: "admin", role: "viewer" },
        { permission: "users.manage", app: null, role: "ops" },
      ],
    );
    expect(appScopeClaims(perms, "links", CATALOGUE)).toEqual({ roles: [], permissions: [] });
  });

  it("counts direct grants in the permissions but names no role for them", () => {
    const perms = permsOf([], [{ permission: "links.view", app: null, role: null }]);
    expect(appScopeClaims(perms, "links", CATALOGUE)).toEqual({ roles: [], permissions: ["links.view"] });
  });

  it("names super-admin, who holds every permission of the app", () => {
    const perms = permsOf(["super-admin"], []);
    expect(appScopeClaims(perms, "flow", CATALOGUE)).toEqual({
      roles: ["super-admin"],
      permissions: ["tasks.view", "tasks.create"],
    });
  });

  it("takes an app's permissions by their app, not by their name's prefix", () => {
    const perms = permsOf(["member"], [{ permission: "tasks.*", app: null, role: "member" }]);
    expect(appScopeClaims(perms, "tasks", CATALOGUE)).toEqual({ roles: [], permissions: [] });
    expect(appScopeClaims(perms, "flow", CATALOGUE).permissions).toEqual(["tasks.view", "tasks.create"]);
  });

  it("gives a client without an app scope neither list", () => {
    const perms = permsOf(["super-admin"], []);
    expect(appScopeClaims(perms, null, CATALOGUE)).toEqual({ roles: [], permissions: [] });
  });
});
