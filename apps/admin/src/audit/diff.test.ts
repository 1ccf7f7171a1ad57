import { describe, expect, it } from "vitest";
import { diffAudit, showValue } from "./diff.js";

describe("diffAudit", () => {
  it("lists only the fields whose values changed", () => {
    expect(
      diffAudit({ name: "A", disabled: false, roles: ["x"] }, { name: "A", disabled: true, roles: ["x"] }),
    ).toEqual([{ field: "disabled", before: { value: false }, after: { value: true } }]);
  });

  it("tells a field set to null from a field that was not there", () => {
    expect(diffAudit({ disabledAt: 5 }, { disabledAt: null })).toEqual([
      { field: "disabledAt", before: { value: 5 }, after: { value: null } },
    ]);
    expect(diffAudit(null, { name: "new" })).toEqual([
      { field: "name", before: undefined, after: { value: "new" } },
    ]);
    expect(diffAudit({ name: "gone" }, null)).toEqual([
      { field: "name", before: { value: "gone" }, after: undefined },
    ]);
  });

  it("compares non-objects as one value", () => {
    expect(diffAudit(1, 2)).toEqual([{ field: "value", before: { value: 1 }, after: { value: 2 } }]);
    expect(diffAudit(null, null)).toEqual([]);
  });
});

describe("showValue", () => {
  it("shows epoch-ms times of …At fields in UTC and everything else as JSON", () => {
    expect(showValue("disabledAt", 0)).toBe("1970-01-01 00:00:00 UTC");
    expect(showValue("count", 3)).toBe("3");
    expect(showValue("roles", ["a", "b"])).toBe('["a","b"]');
    expect(showValue("note", null)).toBe("null");
  });
});
