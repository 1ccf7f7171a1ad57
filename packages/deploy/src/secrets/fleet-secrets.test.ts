import { isMargError } from "@marg/core/errors";
import { describe, expect, it } from "vitest";
import {
  completeSecrets,
  generatePassword,
  parseSecretsFile,
  renderSecretsFile,
  SECRET_NAMES,
} from "./fleet-secrets.js";

describe("fleet secrets", () => {
  it("generates random, URL-safe passwords of 32 letters and digits", () => {
    const passwords = Array.from({ length: 50 }, generatePassword);
    for (const password of passwords) {
      expect(password).toMatch(/^[A-Za-z0-9]{32}$/);
      expect(encodeURIComponent(password)).toBe(password);
    }
    expect(new Set(passwords).size).toBe(50);
  });

  it("fills in only what is missing, and says which were new", () => {
    const first = completeSecrets();
    expect(first.generated).toEqual([...SECRET_NAMES]);
    const { DB_PASSWORD: _dropped, ...kept } = first.secrets;
    const second = completeSecrets(kept);
    expect(second.generated).toEqual(["DB_PASSWORD"]);
    expect(second.secrets.APP_KEY).toBe(first.secrets.APP_KEY);
    expect(second.secrets.DB_PASSWORD).not.toBe(first.secrets.DB_PASSWORD);
  });

  it("reads back what it wrote", () => {
    const { secrets } = completeSecrets();
    expect(parseSecretsFile(renderSecretsFile(secrets, "marg"), "secrets.env")).toEqual(secrets);
  });

  it("keeps the operator's MAIL_PASSWORD as written (never generated), quotes and all", () => {
    const { secrets, generated } = completeSecrets({ MAIL_PASSWORD: 'it\'s a "pass" word' });
    expect(generated).not.toContain("MAIL_PASSWORD");
    expect(completeSecrets().secrets.MAIL_PASSWORD).toBeUndefined();
    const text = renderSecretsFile(secrets, "marg");
    expect(parseSecretsFile(text, "secrets.env")).toEqual(secrets);
    expect(() => parseSecretsFile('MAIL_PASSWORD="a\nb"\n', "s")).toThrow(/MAIL_PASSWORD holds a line break/);
  });

  it("refuses a malformed secret without printing its value", () => {
    try {
      parseSecretsFile("APP_KEY=base64:c2hvcnQ=\n", "out/secrets.env");
      throw new Error("expected a failure");
    } catch (error) {
      expect(isMargError(error) && error.code).toBe("E_SECRETS_FILE_INVALID");
      expect((error as Error).message).toContain("out/secrets.env: APP_KEY is not base64: + 32 bytes");
      expect((error as Error).message).not.toContain("c2hvcnQ=");
    }
    expect(() => parseSecretsFile("DB_PASSWORD=short\n", "s")).toThrow(/DB_PASSWORD is not 16 or more/);
  });
});
