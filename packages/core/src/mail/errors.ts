import type { ErrorCodeInfo } from "../errors/registry.js";

/** Error codes of mail (merged into the registry and docs/errors.md). */
export const MAIL_ERRORS = {
  E_MAIL_SMTP_FAILED: {
    status: 503,
    meaning:
      "The SMTP server refused the mail or could not be reached; a mail job is retried with backoff, then kept in failed jobs.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;
