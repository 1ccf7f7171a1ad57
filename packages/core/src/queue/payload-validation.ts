import type { z } from "zod";
import type { AnyJobSpec } from "./job-definition.js";

/** Largest stored payload (JSON bytes); bigger data belongs in storage, with its path in the payload. */
export const MAX_PAYLOAD_BYTES = 512 * 1024;

export type PayloadCheck =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly reason: string };

/** One line per problem: `user.id: Invalid input: expected number, received string`. */
export function formatSchemaIssues(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length === 0 ? "(payload)" : issue.path.join(".")}: ${issue.message}`)
    .join("; ");
}

/**
 * Turns a payload into what will be stored (its JSON round trip), so dispatch
 * checks exactly what the worker will see: a Date becomes a string, a BigInt
 * or a cycle is refused here rather than in the worker.
 */
export function toStoredPayload(payload: unknown): PayloadCheck {
  let json: string | undefined;
  try {
    json = JSON.stringify(payload);
  } catch (error) {
    return { ok: false, reason: `payload is not JSON-serialisable (${(error as Error).message})` };
  }
  if (json === undefined) return { ok: false, reason: "payload is not JSON-serialisable (undefined)" };
  if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES) {
    return {
      ok: false,
      reason: `payload is larger than ${MAX_PAYLOAD_BYTES} bytes as JSON; store the data and queue its path`,
    };
  }
  return { ok: true, value: JSON.parse(json) };
}

/** Checks a stored payload against a job's schema; on success `value` is the parsed (output) payload. */
export function checkPayload(job: AnyJobSpec, payload: unknown): PayloadCheck {
  const parsed = job.schema.safeParse(payload);
  if (parsed.success) return { ok: true, value: parsed.data };
  return {
    ok: false,
    reason: `payload of job "${job.name}" is invalid: ${formatSchemaIssues(parsed.error)}`,
  };
}
