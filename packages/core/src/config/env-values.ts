import { z } from "zod";

/**
 * Zod building blocks for values that arrive as environment strings.
 * Each one accepts the spellings people really write in `.env` files.
 */

const TRUE_WORDS = new Set(["true", "1", "yes", "on", "(true)"]);
const FALSE_WORDS = new Set(["false", "0", "no", "off", "(false)", ""]);

/** One of the spellings above, or an issue naming what was written. */
function booleanWord(raw: string, ctx: z.RefinementCtx): boolean {
  const word = raw.trim().toLowerCase();
  if (TRUE_WORDS.has(word)) return true;
  if (FALSE_WORDS.has(word)) return false;
  ctx.addIssue({ code: "custom", message: `expected true or false, got "${raw}"` });
  return z.NEVER;
}

/** `true`/`false`/`1`/`0`/`yes`/`no`/`on`/`off`, case-insensitive. */
export function envBoolean(defaultValue: boolean) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => (raw === undefined ? defaultValue : booleanWord(raw, ctx)));
}

/** Like {@link envBoolean}, but absent stays undefined, so the default can depend on another variable. */
export function envOptionalBoolean() {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => (raw === undefined || raw.trim() === "" ? undefined : booleanWord(raw, ctx)));
}

/** A whole number within [min, max]. */
export function envInt(defaultValue: number, min: number, max: number) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return defaultValue;
      const value = Number(raw.trim());
      if (!Number.isInteger(value)) {
        ctx.addIssue({ code: "custom", message: `expected a whole number, got "${raw}"` });
        return z.NEVER;
      }
      if (value < min || value > max) {
        ctx.addIssue({ code: "custom", message: `expected a number from ${min} to ${max}, got ${value}` });
        return z.NEVER;
      }
      return value;
    });
}

/** A TCP port. */
export function envPort(defaultValue: number) {
  return envInt(defaultValue, 1, 65535);
}

/** One of a fixed list of words (case-insensitive), normalised to lower case. */
export function envEnum<const T extends readonly [string, ...string[]]>(values: T, defaultValue: T[number]) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return defaultValue;
      const word = raw.trim().toLowerCase();
      if ((values as readonly string[]).includes(word)) return word as T[number];
      ctx.addIssue({ code: "custom", message: `expected one of ${values.join(", ")}, got "${raw}"` });
      return z.NEVER;
    });
}

/** Free text; empty means the default. */
export function envString(defaultValue: string) {
  return z
    .string()
    .optional()
    .transform((raw) => (raw === undefined || raw.trim() === "" ? defaultValue : raw.trim()));
}

/** Free text that may be absent. */
export function envOptionalString() {
  return z
    .string()
    .optional()
    .transform((raw) => (raw === undefined || raw.trim() === "" ? undefined : raw.trim()));
}

/** Comma-separated list, blanks dropped. */
export function envList(defaultValue: readonly string[] = []) {
  return z
    .string()
    .optional()
    .transform((raw) =>
      raw === undefined
        ? [...defaultValue]
        : raw
            .split(",")
            .map((item) => item.trim())
            .filter((item) => item !== ""),
    );
}

/** `host:port` pairs separated by commas, as in REDIS_SENTINELS. */
export function envHostPortList(defaultPort: number) {
  return envList().transform((items, ctx) => {
    const out: { host: string; port: number }[] = [];
    for (const item of items) {
      const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(item);
      const port = match?.[2] === undefined ? defaultPort : Number(match[2]);
      if (!match?.[1] || port < 1 || port > 65535) {
        ctx.addIssue({ code: "custom", message: `"${item}" is not host:port` });
        return z.NEVER;
      }
      out.push({ host: match[1].replace(/^\[|\]$/g, ""), port });
    }
    return out;
  });
}

/** One of a fixed list of words, or absent (so another variable can supply it). */
export function envOptionalEnum<const T extends readonly [string, ...string[]]>(values: T) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      if (raw === undefined || raw.trim() === "") return undefined;
      const word = raw.trim().toLowerCase();
      if ((values as readonly string[]).includes(word)) return word as T[number];
      ctx.addIssue({ code: "custom", message: `expected one of ${values.join(", ")}, got "${raw}"` });
      return z.NEVER;
    });
}

/**
 * A role name (lowercase letters, digits and dashes, like the RBAC's) or empty for
 * "none". Never `super-admin`: a variable that hands a role to whoever signs up must
 * not be able to hand out everything.
 */
export function envRoleName(defaultValue: string) {
  return z
    .string()
    .optional()
    .transform((raw) => (raw === undefined ? defaultValue : raw.trim()))
    .pipe(
      z
        .string()
        .regex(
          /^$|^[a-z][a-z0-9-]{0,63}$/,
          "must be a role name (lowercase letters, digits and dashes) or empty",
        )
        .refine((role) => role !== "super-admin", "may not be super-admin"),
    );
}

/** A request budget: `max` requests per `windowMs`. */
export interface RateBudget {
  readonly max: number;
  readonly windowMs: number;
}

const DURATION_UNITS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000 };

/** `5/15m`: at most 5 in 15 minutes (units s, m, h); `0/…` turns the limit off. */
export function envRate(defaultValue: string) {
  return z
    .string()
    .optional()
    .transform((raw, ctx) => {
      const text = raw === undefined || raw.trim() === "" ? defaultValue : raw.trim();
      const match = /^(\d+)\s*\/\s*(\d+)\s*([smh])$/i.exec(text);
      const unit = DURATION_UNITS[match?.[3]?.toLowerCase() ?? ""];
      const max = Number(match?.[1]);
      const windowMs = Number(match?.[2]) * (unit ?? 0);
      if (match === null || unit === undefined || !(windowMs > 0) || max > 1_000_000) {
        ctx.addIssue({
          code: "custom",
          message: `expected <count>/<duration> like 5/15m (s, m or h; count up to 1000000), got "${raw}"`,
        });
        return z.NEVER;
      }
      return { max, windowMs } satisfies RateBudget;
    });
}

/** Who must use two-factor sign-in (AUTH_REQUIRE_2FA): nobody, everyone, or holders of some roles. */
export type TwoFactorRequirement = "none" | "all" | { readonly roles: readonly string[] };

/** `none` (or empty), `all`, or `roles:<role>,<role>`. */
export function envTwoFactorRequirement() {
  return z
    .string()
    .optional()
    .transform((raw, ctx): TwoFactorRequirement => {
      const value = (raw ?? "").trim();
      if (value === "" || value === "none") return "none";
      if (value === "all") return "all";
      const roles = value.startsWith("roles:")
        ? value
            .slice("roles:".length)
            .split(",")
            .map((role) => role.trim())
            .filter((role) => role !== "")
        : [];
      if (roles.length === 0 || roles.some((role) => !/^[a-z][a-z0-9-]{0,63}$/.test(role))) {
        ctx.addIssue({
          code: "custom",
          message: "must be none, all, or roles: followed by role names (e.g. roles:admin,super-admin)",
        });
        return z.NEVER;
      }
      return { roles };
    });
}
