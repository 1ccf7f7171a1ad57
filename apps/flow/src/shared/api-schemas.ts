import { apiErrorResponses } from "@marg/core/web";
import { z } from "zod";

/**
 * Pieces every flow API route shares in its OpenAPI description. Bodies and
 * queries are described from the same zod schemas the handlers (and the HTML
 * forms) validate with; Fastify's own validator is switched off for them
 * (`zodValidated`) so every client gets one set of rules and messages.
 */

type JsonSchema = Record<string, unknown>;

/** The OpenAPI (3.0) description of a zod schema, as a client sends it. */
export function describeInput(schema: z.ZodType): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, {
    target: "openapi-3.0",
    io: "input",
    unrepresentable: "any",
  }) as JsonSchema;
  return rest;
}

/** Route options that leave validation to the handler's zod schema (which reports every field). */
export const zodValidated = {
  validatorCompiler: () => () => true,
} as const;

/** The error answers every authenticated flow route can give: 401 and 403, plus 404 and 422. */
export const errorResponses = apiErrorResponses(404, 422);

export const paginationMeta = {
  type: "object",
  properties: {
    total: { type: "integer" },
    page: { type: "integer" },
    perPage: { type: "integer" },
    pages: { type: "integer" },
  },
  required: ["total", "page", "perPage", "pages"],
} as const;

export const idParams = {
  type: "object",
  properties: { id: { type: "integer", minimum: 1 } },
  required: ["id"],
} as const;

/** Signed in with the session cookie; writes also need the X-CSRF-Token header. */
export const sessionSecurity = [{ session: [] }] as const;
export const writeSecurity = [{ session: [], csrf: [] }] as const;
