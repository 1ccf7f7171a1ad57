/**
 * The JSON error body every MARG API answers with (the error handler sends it,
 * see error-response.ts), as a type and as its OpenAPI description: one
 * definition for every app's `/api/docs`.
 */
export interface ApiErrorBody {
  readonly error: {
    readonly code: string;
    readonly message: string;
    readonly requestId?: string;
    /** One message per invalid field (E_VALIDATION). */
    readonly fields?: Readonly<Record<string, string>>;
  };
}

export const apiErrorSchema = {
  type: "object",
  description: "What went wrong and what to do; `fields` names each invalid field.",
  properties: {
    error: {
      type: "object",
      properties: {
        code: { type: "string", example: "E_VALIDATION" },
        message: { type: "string" },
        requestId: { type: "string" },
        fields: { type: "object", additionalProperties: { type: "string" } },
      },
      required: ["code", "message"],
    },
  },
  required: ["error"],
} as const;

export type ApiErrorSchema = Omit<typeof apiErrorSchema, "description"> & { readonly description: string };

const MEANINGS: Readonly<Record<number, string>> = {
  400: "The request is malformed.",
  401: "Not signed in (E_AUTH_REQUIRED).",
  403: "Signed in, without the permission (E_RBAC_FORBIDDEN) or the CSRF token.",
  404: "No such resource that you may see.",
  409: "The resource is in a state that does not allow this.",
  422: "Invalid input (E_VALIDATION): `fields` says what to fix.",
  429: "Too many requests; `Retry-After` says when to try again.",
};

/**
 * The error answers of a route for its OpenAPI `response`: 401 and 403 (every
 * guarded route can give them) plus `statuses`, each with the error body.
 *
 * @example
 * schema: { response: { 200: userSchema, ...apiErrorResponses(404, 422) } }
 */
export function apiErrorResponses(...statuses: number[]): Record<number, ApiErrorSchema> {
  const all = [...new Set([401, 403, ...statuses])];
  return Object.fromEntries(
    all.map((status) => [status, { ...apiErrorSchema, description: MEANINGS[status] ?? "An error." }]),
  );
}
