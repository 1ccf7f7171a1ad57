import { randomInt } from "node:crypto";
import { decodeAppKey, generateAppKey } from "@marg/core/config";
import { MargError } from "@marg/core/errors";
import { parse } from "dotenv";

/**
 * Every secret a fleet needs. They are generated once and kept in
 * `<out>/secrets.env` (mode 600) so that rendering again, say for phase 3,
 * keeps the passwords the servers already have.
 */
export const SECRET_NAMES = [
  "APP_KEY",
  "REDIS_PASSWORD",
  "CACHE_REDIS_PASSWORD",
  "REDIS_SENTINEL_PASSWORD",
  "DB_PASSWORD",
  "DB_BACKUP_PASSWORD",
  "DB_REPLICATION_PASSWORD",
  "METRICS_TOKEN",
] as const;
export type SecretName = (typeof SECRET_NAMES)[number];
/**
 * Secrets the operator brings (never generated): MAIL_PASSWORD, the SMTP
 * login's password from the mail provider. Add the line to secrets.env and
 * render again; it goes into .env.shared only.
 */
export const OPERATOR_SECRET_NAMES = ["MAIL_PASSWORD"] as const;
export type OperatorSecretName = (typeof OPERATOR_SECRET_NAMES)[number];
export type FleetSecrets = Readonly<Record<SecretName, string>> &
  Readonly<Partial<Record<OperatorSecretName, string>>>;
type KeptSecrets = Partial<Record<SecretName | OperatorSecretName, string>>;

/** A dotenv value: bare when safe, else quoted (generated secrets are always bare). */
export function dotenvValue(value: string): string {
  if (/^[A-Za-z0-9_.,:/@+=-]*$/.test(value)) return value;
  if (!value.includes("'")) return `'${value}'`;
  return value.includes('"') ? `\`${value}\`` : `"${value}"`;
}

const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
const PASSWORD_LENGTH = 32;
const PASSWORD_PATTERN = /^[A-Za-z0-9_-]{16,128}$/;

/**
 * A random password of 32 letters and digits (about 190 bits). Letters and
 * digits only, so it is URL-safe and needs no quoting in redis.conf, SQL,
 * a .env file or a shell, and never starts with a dash that a CLI would take
 * for an option.
 */
export function generatePassword(): string {
  let out = "";
  for (let index = 0; index < PASSWORD_LENGTH; index += 1) out += ALPHABET[randomInt(ALPHABET.length)];
  return out;
}

/** Reads a secrets file, checking each value's form (never printing it). */
export function parseSecretsFile(text: string, label: string): KeptSecrets {
  const values = parse(text);
  const out: KeptSecrets = {};
  for (const name of OPERATOR_SECRET_NAMES) {
    const value = values[name];
    if (value === undefined || value === "") continue;
    if (/[\r\n]/.test(value) || (value.includes("'") && value.includes('"') && value.includes("`")))
      throw new MargError(
        "E_SECRETS_FILE_INVALID",
        `${label}: ${name} holds a line break or all three quote kinds, which .env.shared cannot carry. Ask the provider for another password.`,
        { status: 400 },
      );
    out[name] = value;
  }
  for (const name of SECRET_NAMES) {
    const value = values[name];
    if (value === undefined || value === "") continue;
    let valid = PASSWORD_PATTERN.test(value);
    if (name === "APP_KEY") {
      try {
        valid = value.startsWith("base64:") && decodeAppKey(value).length === 32;
      } catch {
        valid = false;
      }
    }
    if (!valid) {
      const expected = name === "APP_KEY" ? "base64: + 32 bytes" : "16 or more letters, digits, _ or -";
      throw new MargError(
        "E_SECRETS_FILE_INVALID",
        `${label}: ${name} is not ${expected}. Fix the line, or delete it to have a new one generated (servers that already use the old one must then be updated).`,
        { status: 400 },
      );
    }
    out[name] = value;
  }
  return out;
}

/** Fills in whatever `existing` lacks with fresh secrets, and says which were new. */
export function completeSecrets(existing: KeptSecrets = {}): {
  secrets: FleetSecrets;
  generated: SecretName[];
} {
  const generated: SecretName[] = [];
  const secrets = {} as Record<SecretName, string> & Partial<Record<OperatorSecretName, string>>;
  for (const name of OPERATOR_SECRET_NAMES) {
    const value = existing[name];
    if (value !== undefined) secrets[name] = value;
  }
  for (const name of SECRET_NAMES) {
    const value = existing[name];
    if (value !== undefined) {
      secrets[name] = value;
    } else {
      secrets[name] = name === "APP_KEY" ? generateAppKey() : generatePassword();
      generated.push(name);
    }
  }
  return { secrets, generated };
}

/** The secrets file itself: what each secret opens, one per line. */
export function renderSecretsFile(secrets: FleetSecrets, fleetName: string): string {
  return [
    `# Secrets of the MARG fleet "${fleetName}", kept by \`marg infra:render\` (mode 600).`,
    "# Rendering again reads this file and keeps these values. Store a copy in the team's",
    "# password manager; anyone with this file can read every session and database.",
    ...SECRET_NAMES.map((name) => `${name}=${secrets[name]}`),
    "# The SMTP password (inventory mail.username) is yours to add: MAIL_PASSWORD=…",
    ...OPERATOR_SECRET_NAMES.flatMap((name) => {
      const value = secrets[name];
      return value === undefined ? [] : [`${name}=${dotenvValue(value)}`];
    }),
    "",
  ].join("\n");
}
