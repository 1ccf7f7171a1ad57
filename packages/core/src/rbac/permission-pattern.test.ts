import { describe, expect, it } from "vitest";
import { permissionPatternCovers } from "./permission-pattern.js";

describe("permissionPatternCovers: whether holding one pattern covers handing out another", () => {
  it("covers a concrete name exactly as a check would", () => {
    expect(permissionPatternCovers("links.delete", "links.delete")).toBe(true);
    expect(permissionPatternCovers("links.*", "links.delete")).toBe(true);
    expect(permissionPatternCovers("links.*", "links")).toBe(false);
    expect(permissionPatternCovers("*.view", "tasks.view")).toBe(true);
    expect(permissionPatternCovers("*", "tasks.reports.view")).toBe(true);
  });

  it("lets a wildcard be handed out only by the same or a wider one", () => {
    expect(permissionPatternCovers("links.*", "links.*")).toBe(true);
    expect(permissionPatternCovers("*", "links.*")).toBe(true);
    expect(permissionPatternCovers("links.*", "links.stats.*")).toBe(true);
    expect(permissionPatternCovers("*", "*")).toBe(true);
    expect(permissionPatternCovers("*.view", "*.view")).toBe(true);
    expect(permissionPatternCovers("*", "*.view")).toBe(true);
  });

  it("never lets a narrower grant cover a wider pattern", () => {
    expect(permissionPatternCovers("links.delete", "links.*")).toBe(false);
    expect(permissionPatternCovers("links.*", "*")).toBe(false);
    expect(permissionPatternCovers("tasks.*", "*.view")).toBe(false);
    expect(permissionPatternCovers("*.view", "*")).toBe(false);
    // `*.*` misses one-segment names, which `*` covers.
    expect(permissionPatternCovers("*.*", "*")).toBe(false);
    // A middle `*` is exactly one segment; `tasks.*` also covers tasks.a.b.
    expect(permissionPatternCovers("tasks.*.view", "tasks.*")).toBe(false);
    expect(permissionPatternCovers("tasks.*.*", "tasks.*")).toBe(false);
    expect(permissionPatternCovers("tasks.*", "tasks.*.view")).toBe(true);
    expect(permissionPatternCovers("tasks.view", "*.view")).toBe(false);
  });
});
