import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isMargError } from "../errors/index.js";
import { generateAppKey } from "./app-key.js";
import { loadConfig } from "./load-config.js";

function load(env: Record<string, string>) {
  const root = mkdtempSync(path.join(tmpdir(), "marg-two-factor-"));
  try {
    writeFileSync(path.join(root, ".env.shared"), "");
    return loadConfig({ root, app: "flow", env: { APP_KEY: generateAppKey(), ...env } });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
}

describe("AUTH_REQUIRE_2FA", () => {
  it("requires nobody by default, or when set to none or left empty", () => {
    expect(load({}).auth.requireTwoFactor).toBe("none");
    expect(load({ AUTH_REQUIRE_2FA: "none" }).auth.requireTwoFactor).toBe("none");
    expect(load({ AUTH_REQUIRE_2FA: "" }).auth.requireTwoFactor).toBe("none");
  });

  it("reads all, or roles: with a list of role names", () => {
    expect(load({ AUTH_REQUIRE_2FA: "all" }).auth.requireTwoFactor).toBe("all");
    expect(load({ AUTH_REQUIRE_2FA: "roles:admin, super-admin" }).auth.requireTwoFactor).toEqual({
      roles: ["admin", "super-admin"],
    });
  });

  it("refuses anything else, naming the variable and what it accepts", () => {
    for (const value of ["admins", "roles:", "roles:Admin", "yes"]) {
      let message = "";
      try {
        load({ AUTH_REQUIRE_2FA: value });
      } catch (error) {
        if (!isMargError(error) || error.code !== "E_CONFIG_INVALID") throw error;
        message = error.message;
      }
      expect(message, value).toContain("AUTH_REQUIRE_2FA");
      expect(message, value).toContain("roles:admin,super-admin");
    }
  });
});
