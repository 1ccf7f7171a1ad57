import { MargError } from "@marg/core/errors";

/** A numeric id from the URL; anything else is a 404, like a missing row. */
export function idParam(params: unknown, name = "id"): number {
  const raw =
    typeof params === "object" && params !== null ? (params as Record<string, unknown>)[name] : undefined;
  const id = typeof raw === "string" && /^\d{1,15}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isSafeInteger(id) || id < 1) {
    throw new MargError(
      "E_HTTP_NOT_FOUND",
      "Nothing answers at this address. Go back to the list and pick one.",
      {
        status: 404,
      },
    );
  }
  return id;
}

/** A string field of a parsed form or JSON body (undefined when absent or not a string). */
export function bodyText(body: unknown, name: string): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}
