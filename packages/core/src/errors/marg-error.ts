/**
 * The one error type of MARG. Every failure the platform reports on purpose is a
 * `MargError` with a stable `code` (listed in docs/errors.md), an HTTP `status`
 * and a message that says what to do about it.
 *
 * @example
 * throw new MargError("E_CONFIG_INVALID", "APP_KEY is missing: run `marg key:generate`.");
 */
export class MargError extends Error {
  readonly code: string;
  readonly status: number;
  /** Extra machine-readable detail (field errors, retry hints); never secrets. */
  readonly details: Readonly<Record<string, unknown>> | undefined;

  constructor(
    code: string,
    message: string,
    options: { status?: number; cause?: unknown; details?: Record<string, unknown> } = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "MargError";
    this.code = code;
    this.status = options.status ?? 500;
    this.details = options.details;
  }
}

/** True for any MargError, also one thrown by another copy of this module. */
export function isMargError(value: unknown): value is MargError {
  return (
    value instanceof MargError || (value instanceof Error && value.name === "MargError" && "code" in value)
  );
}
