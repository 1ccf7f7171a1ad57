import { MargError } from "@marg/core/errors";
import { fieldErrors } from "@marg/core/web";
import type { z } from "zod";

/** The outcome of validating input from outside: the data, or a message per field. */
export type Validated<T> =
  | { readonly ok: true; readonly data: T }
  | { readonly ok: false; readonly fields: Record<string, string> };

/** Validates with a zod schema; forms show `fields` beside each input, the API sends them as 422. */
export function validate<S extends z.ZodType>(schema: S, input: unknown): Validated<z.output<S>> {
  const result = schema.safeParse(input ?? {});
  return result.success
    ? { ok: true, data: result.data }
    : { ok: false, fields: fieldErrors(result.error.issues) };
}

/** The API's answer to invalid input: E_VALIDATION with `fields`, like Fastify's own schema errors. */
export function validationError(fields: Record<string, string>): MargError {
  return new MargError("E_VALIDATION", "Some fields are not valid; each one is listed with what to fix.", {
    status: 422,
    details: { fields },
  });
}

/** Validates API input or throws E_VALIDATION (422). */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = validate(schema, input);
  if (!result.ok) throw validationError(result.fields);
  return result.data;
}

/**
 * Core errors carry field problems as `{ email: ["…"] }`; forms and the API want
 * one message per field. Returns undefined for errors that name no field.
 */
export function coreFieldErrors(error: MargError): Record<string, string> | undefined {
  const fields = error.details?.fields;
  if (typeof fields !== "object" || fields === null) return undefined;
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    const first = Array.isArray(value) ? value[0] : value;
    if (typeof first === "string") out[name] = first;
  }
  return Object.keys(out).length > 0 ? out : undefined;
}
