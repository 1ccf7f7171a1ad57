import { describe, expect, it } from "vitest";
import { parseAppName, parseCheckedPermission, parsePermissionName, parseRoleName } from "./names.js";
import { permissionCovers } from "./permission-pattern.js";

describe("RBAC names", () => {
  it("accepts lowercase dotted permissions and whole-segment wildcards", () => {
    for (const name of [
      "tasks.create",
      "links.delete",
      "tasks.*",
      "*",
      "*.view",
      "reports.monthly_totals.view",
    ]) {
      expect(parsePermissionName(name)).toBe(name);
    }
    expect(parsePermissionName("  tasks.view ")).toBe("tasks.view");
  });

  it("rejects malformed permission names with a message that says how to write one", () => {
    expect(() => parsePermissionName("Tasks.Create")).toThrow(/lowercase words separated by dots/);
    expect(() => parsePermissionName("tasks*")).toThrow(/wildcard stands for a whole segment/);
    expect(() => parsePermissionName("tasks..view")).toThrow(/empty segment/);
    expect(() => parsePermissionName("")).toThrow(/is empty/);
    expect(() => parsePermissionName(42)).toThrow(/a number/);
    expect(() => parsePermissionName("tasks view")).toThrow(
      expect.objectContaining({ code: "E_RBAC_INVALID_NAME", status: 422 }),
    );
  });

  it("refuses a wildcard in a check, which must name one concrete permission", () => {
    expect(parseCheckedPermission("tasks.update")).toBe("tasks.update");
    expect(() => parseCheckedPermission("tasks.*")).toThrow(/concrete permission/);
  });

  it("accepts kebab-case role and app names only", () => {
    expect(parseRoleName("super-admin")).toBe("super-admin");
    expect(() => parseRoleName("Super Admin")).toThrow(/lowercase letters, digits and dashes/);
    expect(parseAppName("flow")).toBe("flow");
    expect(() => parseAppName("flow.app")).toThrow(/app id/);
  });
});

describe("wildcard matching", () => {
  it("lets a trailing * cover one or more segments, but not the prefix itself", () => {
    expect(permissionCovers("tasks.*", "tasks.update")).toBe(true);
    expect(permissionCovers("tasks.*", "tasks.reports.view")).toBe(true);
    expect(permissionCovers("tasks.*", "tasks")).toBe(false);
    expect(permissionCovers("tasks.*", "tasksx.update")).toBe(false);
    expect(permissionCovers("tasks.*", "links.update")).toBe(false);
  });

  it("lets a middle * cover exactly one segment, and * alone cover everything", () => {
    expect(permissionCovers("*.view", "links.view")).toBe(true);
    expect(permissionCovers("*.view", "links.stats.view")).toBe(false);
    expect(permissionCovers("*", "anything.at.all")).toBe(true);
    expect(permissionCovers("tasks.update", "tasks.update")).toBe(true);
    expect(permissionCovers("tasks.update", "tasks.updates")).toBe(false);
  });
});
