import type { ErrorCodeInfo } from "../errors/error-code-info.js";

/** Error codes of mail (composed in kernel/core-errors.ts, listed in docs/errors.md). */
export const MAIL_ERRORS = {
  E_MAIL_SMTP_FAILED: {
    status: 503,
    meaning:
      "The SMTP server refused the mail or could not be reached; a mail job is retried with backoff, then kept in failed jobs.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;
