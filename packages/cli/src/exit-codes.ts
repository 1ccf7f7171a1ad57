/**
 * Exit codes scripts can trust, the same for every command (README, `marg --help`):
 * 2 always means the command line was wrong and nothing was done, so a check's own
 * verdicts (`doctor`) use 1 and 3, never 2.
 */
export const EXIT = {
  OK: 0,
  /** The command ran and failed; for a check (`doctor`): it found warnings, nothing failing. */
  FAILURE: 1,
  /** Bad usage (an unknown command, bad arguments or options); nothing was done. */
  USAGE: 2,
  /** A check (`doctor`) found at least one failure. */
  CHECK_FAILED: 3,
} as const;

/** The `Exit codes:` section of `marg --help`. */
export const EXIT_CODES_HELP = [
  "Exit codes:",
  "  0  ok",
  "  1  the command failed (doctor: warnings only)",
  "  2  bad usage: unknown command, bad arguments or options; nothing was done",
  "  3  doctor found failures",
].join("\n");

/** `marg doctor`'s exit code for the worst level it found. */
export function doctorExitCode(level: "ok" | "warn" | "fail"): number {
  return { ok: EXIT.OK, warn: EXIT.FAILURE, fail: EXIT.CHECK_FAILED }[level];
}
