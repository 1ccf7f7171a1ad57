import type { z } from "zod";
import { type FieldErrors, fieldErrors, validationError } from "./field-errors.js";

/** The outcome of validating a form: the data, or a message per field to show beside each input. */
export type Validated<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly fields: FieldErrors };

/**
 * Validates a form (or a query) with `schema`; the page shows `fields` beside
 * each input and answers 422. A missing body counts as an empty one, so each
 * required field gets its own message.
 *
 * @example
 * const result = validateForm(userFormSchema, request.body);
 * if (!result.ok) return form(reply, { errors: result.fields, status: 422 });
 */
export function validateForm<S extends z.ZodType>(schema: S, input: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(input ?? {});
  return result.success
    ? { ok: true, data: result.data }
    : { ok: false, fields: fieldErrors(result.error.issues) };
}

/**
 * Validates a JSON body (or an API query) with `schema`, or throws E_VALIDATION
 * (422) with the same `fields` a form would show; the error handler sends it as
 * `{"error":{"code":"E_VALIDATION",…,"fields":{…}}}`.
 *
 * @example
 * const input = parseJson(createUserSchema, request.body);
 */
export function parseJson<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = validateForm(schema, input);
  if (!result.ok) throw validationError(result.fields);
  return result.data;
}
