import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { isMargError } from "../errors/index.js";
import { generateAppKey } from "./app-key.js";
import { loadConfig } from "./load-config.js";

function load(env: Record<string, string>) {
  const root = mkdtempSync(path.join(tmpdir(), "marg-registration-"));
  writeFileSync(path.join(root, ".env.shared"), "");
  return loadConfig({ root, app: "flow", env: { APP_KEY: generateAppKey(), ...env } });
}

function configError(env: Record<string, string>): string {
  try {
    load(env);
  } catch (error) {
    if (isMargError(error) && error.code === "E_CONFIG_INVALID") return error.message;
    throw error;
  }
  throw new Error("expected E_CONFIG_INVALID");
}

describe("sign-up settings", () => {
  it("keeps sign-up closed unless REGISTRATION_ENABLED turns it on, in every environment", () => {
    for (const env of ["local", "testing", "staging", "production"]) {
      expect(load({ APP_ENV: env }).auth.registrationEnabled, env).toBe(false);
    }
    expect(load({ REGISTRATION_ENABLED: "true" }).auth.registrationEnabled).toBe(true);
  });

  it("gives verified sign-ups the member role by default, another role or none when configured", () => {
    expect(load({}).auth.registrationRole).toBe("member");
    expect(load({ REGISTRATION_ROLE: "viewer" }).auth.registrationRole).toBe("viewer");
    expect(load({ REGISTRATION_ROLE: "" }).auth.registrationRole).toBeUndefined();
  });

  it("refuses super-admin or a malformed name as REGISTRATION_ROLE, naming the variable", () => {
    expect(configError({ REGISTRATION_ROLE: "super-admin" })).toContain("REGISTRATION_ROLE");
    expect(configError({ REGISTRATION_ROLE: "Not A Role" })).toContain("REGISTRATION_ROLE");
  });

  it("reads REGISTRATION_DOMAINS as a lowercased list; empty accepts any domain", () => {
    expect(load({}).auth.registrationDomains).toEqual([]);
    expect(load({ REGISTRATION_DOMAINS: "Example.com, @corp.example" }).auth.registrationDomains).toEqual([
      "example.com",
      "corp.example",
    ]);
  });
});
