import { MargError } from "../../errors/marg-error.js";

/** One message per field, keyed by the field's name; `_` for the input as a whole. */
export type FieldErrors = Record<string, string>;

/** The part of a zod issue this needs (zod 4's `$ZodIssue` fits). */
export interface FieldIssue {
  readonly code?: string;
  readonly path: readonly PropertyKey[];
  readonly message: string;
  /** Present on `unrecognized_keys` issues (strict objects). */
  readonly keys?: readonly string[];
}

const UNKNOWN_FIELD = "is not a field of this resource";

/**
 * Field messages from zod issues: the first per top-level field (a problem in
 * `tags[3]` is the `tags` field's), the input as a whole as `_`. A strict
 * object's unknown keys are reported once for the object; each is named here
 * instead, so the client sees which.
 */
export function fieldErrors(issues: readonly FieldIssue[]): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of issues) {
    if (issue.code === "unrecognized_keys" && issue.keys !== undefined) {
      for (const key of issue.keys) errors[key] ??= UNKNOWN_FIELD;
      continue;
    }
    errors[String(issue.path[0] ?? "_")] ??= issue.message;
  }
  return errors;
}

/** The answer to invalid input: E_VALIDATION (422) with `fields`, as Fastify's own schema errors give it. */
export function validationError(fields: FieldErrors): MargError {
  return new MargError("E_VALIDATION", "Some fields are not valid; each one is listed with what to fix.", {
    status: 422,
    details: { fields },
  });
}

/**
 * Core errors carry field problems as `{ email: ["…"] }` (or one string); forms
 * and the API show one message per field. Undefined for errors that name no field.
 */
export function errorFieldErrors(error: MargError): FieldErrors | undefined {
  const fields = error.details?.fields;
  if (typeof fields !== "object" || fields === null) return undefined;
  const out: FieldErrors = {};
  for (const [name, value] of Object.entries(fields)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string") out[name] = first;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
