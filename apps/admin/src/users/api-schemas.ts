import { nullableInteger } from "../shared/api-schemas.js";

/**
 * JSON schemas of /api/v1/users for the OpenAPI page: they describe types; the
 * rules and their messages are the zod schemas the forms use too (schemas.ts).
 */

export const userSchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    name: { type: "string" },
    email: { type: "string" },
    disabled: { type: "boolean" },
    disabledAt: nullableInteger,
    lastLoginAt: nullableInteger,
    createdAt: { type: "integer" },
  },
  required: ["id", "name", "email", "disabled", "disabledAt", "lastLoginAt", "createdAt"],
} as const;

export const idParams = {
  type: "object",
  properties: { id: { type: "string", pattern: "^[0-9]{1,15}$" } },
  required: ["id"],
} as const;

export const userRoleParams = {
  type: "object",
  properties: { id: { type: "string", pattern: "^[0-9]{1,15}$" }, role: { type: "string", maxLength: 64 } },
  required: ["id", "role"],
} as const;
