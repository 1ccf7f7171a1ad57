/**
 * Pieces the admin API's JSON schemas share (each feature describes its own
 * resources beside its routes). They describe types for the OpenAPI page at
 * /api/docs; the rules and messages are the zod schemas the forms use too.
 * Error answers are core's (`apiErrorResponses`).
 */

export const nullableInteger = { type: ["integer", "null"] } as const;

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

export const stringList = { type: "array", items: { type: "string" } } as const;
