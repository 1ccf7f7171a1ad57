import { z } from "zod";
import { MargError } from "../errors/marg-error.js";

/** The role that passes every check, whatever it has been granted. */
export const SUPER_ADMIN_ROLE = "super-admin";

const WORD = /^[a-z][a-z0-9_-]*$/;
const ROLE = /^[a-z][a-z0-9-]*$/;

const PERMISSION_HELP =
  "use lowercase words separated by dots, like tasks.create; a whole segment may be * (tasks.*, or * for everything)";

const permissionSchema = z
  .string()
  .trim()
  .min(1, "is empty")
  .max(100, "is longer than 100 characters")
  .superRefine((name, ctx) => {
    for (const segment of name.split(".")) {
      if (segment === "*" || WORD.test(segment)) continue;
      const message = segment.includes("*")
        ? `has "${segment}": a wildcard stands for a whole segment (tasks.*), not part of one`
        : segment === ""
          ? "has an empty segment (two dots, or a dot at an end)"
          : `has "${segment}": ${PERMISSION_HELP}`;
      ctx.addIssue({ code: "custom", message });
      return;
    }
  });

const roleSchema = z
  .string()
  .trim()
  .min(1, "is empty")
  .max(64, "is longer than 64 characters")
  .regex(ROLE, "must be lowercase letters, digits and dashes, starting with a letter (like super-admin)");

const appSchema = z
  .string()
  .trim()
  .min(1, "is empty")
  .max(32, "is longer than 32 characters")
  .regex(ROLE, "must be an app id: lowercase letters, digits and dashes (like flow)");

function parse(schema: z.ZodType<string>, kind: string, input: unknown): string {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const problem = result.error.issues[0]?.message ?? "is not valid";
  const shown = typeof input === "string" ? `'${input}'` : `a ${typeof input}`;
  const message = `The ${kind} name ${shown} ${problem}.`;
  throw new MargError("E_RBAC_INVALID_NAME", message, {
    status: 422,
    details: { fields: { name: [message] } },
  });
}

/** A permission name as stored and granted: `tasks.create`, `tasks.*`, `*`. Throws E_RBAC_INVALID_NAME. */
export function parsePermissionName(input: unknown): string {
  return parse(permissionSchema, "permission", input);
}

/** A permission a check asks about: like a stored name, but without wildcards. */
export function parseCheckedPermission(input: unknown): string {
  const name = parsePermissionName(input);
  if (name.split(".").includes("*")) {
    const message = `The permission name '${name}' has a wildcard; a check asks about one concrete permission (tasks.update).`;
    throw new MargError("E_RBAC_INVALID_NAME", message, {
      status: 422,
      details: { fields: { name: [message] } },
    });
  }
  return name;
}

/** A role name: `admin`, `super-admin`. Throws E_RBAC_INVALID_NAME. */
export function parseRoleName(input: unknown): string {
  return parse(roleSchema, "role", input);
}

/** An app id a permission may be scoped to: `flow`, `links`, `admin`. Throws E_RBAC_INVALID_NAME. */
export function parseAppName(input: unknown): string {
  return parse(appSchema, "app", input);
}
