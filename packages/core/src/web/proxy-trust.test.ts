import { describe, expect, it } from "vitest";
import { isMargError } from "../errors/index.js";
import { createProxyTrust } from "./proxy-trust.js";

describe("createProxyTrust", () => {
  const trusted = createProxyTrust(["127.0.0.1", "10.0.0.0/8", "fd00::/8", " ::1 "]);

  it("trusts listed addresses and addresses inside listed CIDRs", () => {
    expect(trusted("127.0.0.1")).toBe(true);
    expect(trusted("10.20.30.40")).toBe(true);
    expect(trusted("fd12::1")).toBe(true);
    expect(trusted("::1")).toBe(true);
  });

  it("treats an IPv4 peer on a dual-stack socket like the IPv4 address", () => {
    expect(trusted("::ffff:10.1.2.3")).toBe(true);
    expect(trusted("::ffff:192.168.1.1")).toBe(false);
  });

  it("trusts nothing else, and nothing without an address", () => {
    expect(trusted("127.0.0.2")).toBe(false);
    expect(trusted("11.0.0.1")).toBe(false);
    expect(trusted(undefined)).toBe(false);
    expect(trusted("not-an-ip")).toBe(false);
  });

  it.each(["proxy.local", "10.0.0.0/33", "10.0.0.0/8/1", "::1/-1"])(
    "rejects %s with E_CONFIG_INVALID",
    (entry) => {
      let caught: unknown;
      try {
        createProxyTrust([entry]);
      } catch (error) {
        caught = error;
      }
      expect(isMargError(caught) && caught.code).toBe("E_CONFIG_INVALID");
      expect((caught as Error).message).toContain(`"${entry}"`);
    },
  );
});
