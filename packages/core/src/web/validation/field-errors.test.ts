import { describe, expect, it } from "vitest";
import { z } from "zod";
import { MargError } from "../../errors/marg-error.js";
import { apiErrorResponses, apiErrorSchema } from "./api-error-schema.js";
import { errorFieldErrors, fieldErrors } from "./field-errors.js";
import { parseJson, validateForm } from "./validate-input.js";

const schema = z.strictObject({
  email: z.email("Use an email address."),
  roles: z.array(z.string().min(1, "Name each role.")).default([]),
});

describe("field errors from a zod schema", () => {
  it("gives the first message per top-level field, an array item's on its field", () => {
    const result = validateForm(schema, { email: "nope", roles: ["ok", ""] });
    expect(result).toEqual({
      ok: false,
      fields: { email: "Use an email address.", roles: "Name each role." },
    });
  });

  it("names each unknown field of a strict object, and the input as a whole as _", () => {
    const unknown = schema.safeParse({ email: "a@b.test", admin: true, extra: 1 });
    expect(unknown.success || fieldErrors(unknown.error.issues)).toEqual({
      admin: "is not a field of this resource",
      extra: "is not a field of this resource",
    });
    const whole = z.object({ a: z.string() }).refine(() => false, "Send something else.");
    expect(validateForm(whole, { a: "x" })).toEqual({ ok: false, fields: { _: "Send something else." } });
  });

  it("treats a missing body as an empty one, so each required field is named", () => {
    expect(validateForm(schema, undefined)).toMatchObject({
      ok: false,
      fields: { email: expect.any(String) },
    });
  });

  it("throws E_VALIDATION (422) for JSON with the same fields a form shows", () => {
    const failure = (() => {
      try {
        return parseJson(schema, { email: "nope" });
      } catch (error) {
        return error;
      }
    })();
    expect(failure).toBeInstanceOf(MargError);
    expect(failure).toMatchObject({
      code: "E_VALIDATION",
      status: 422,
      details: { fields: { email: "Use an email address." } },
    });
    expect(parseJson(schema, { email: "a@b.test" })).toEqual({ email: "a@b.test", roles: [] });
  });

  it("reads a core error's field lists as one message per field", () => {
    const error = new MargError("E_AUTH_EMAIL_TAKEN", "Taken.", {
      status: 422,
      details: { fields: { email: ["is taken", "second"], name: "too long", bad: 3 } },
    });
    expect(errorFieldErrors(error)).toEqual({ email: "is taken", name: "too long" });
    expect(errorFieldErrors(new MargError("E_X", "no fields"))).toBeUndefined();
  });
});

describe("the API error schema", () => {
  it("describes 401 and 403 on every route plus the statuses named, each with the error body", () => {
    const responses = apiErrorResponses(404, 422, 403);
    expect(Object.keys(responses)).toEqual(["401", "403", "404", "422"]);
    expect(responses[422]).toMatchObject({
      ...apiErrorSchema,
      description: expect.stringContaining("E_VALIDATION"),
    });
  });
});
