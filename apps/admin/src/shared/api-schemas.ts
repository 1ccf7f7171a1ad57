/**
 * JSON schemas of the admin API, for validation of shapes and the OpenAPI page
 * at /api/docs. The rules of each field (lengths, policy) are the zod schemas
 * the forms use too; these only describe types, so the messages come from one place.
 * Error answers are core's (`apiErrorResponses`).
 */

const nullableInteger = { type: ["integer", "null"] } as const;

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

export function pageOf(item: object) {
  return {
    type: "object",
    properties: {
      items: { type: "array", items: item },
      total: { type: "integer" },
      page: { type: "integer" },
      perPage: { type: "integer" },
      pages: { type: "integer" },
    },
    required: ["items", "total", "page", "perPage", "pages"],
  } as const;
}

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

export const stringList = { type: "array", items: { type: "string" } } as const;

export const auditEntrySchema = {
  type: "object",
  properties: {
    id: { type: "integer" },
    actorUserId: nullableInteger,
    actorName: { type: ["string", "null"] },
    action: { type: "string" },
    subjectType: { type: "string" },
    subjectId: { type: "string" },
    before: {},
    after: {},
    ip: { type: ["string", "null"] },
    createdAt: { type: "integer" },
  },
  required: ["id", "actorUserId", "action", "subjectType", "subjectId", "createdAt"],
} as const;
