/** Exit codes scripts can trust. */
export const EXIT = {
  OK: 0,
  /** The command ran and failed (or, for checks like `doctor`, found warnings). */
  FAILURE: 1,
  /** Bad arguments or options; nothing was done. Also `doctor`'s "fail" level. */
  USAGE: 2,
} as const;
