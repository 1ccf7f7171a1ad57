import type { ErrorCodeInfo } from "@marg/core/errors";

/**
 * Error codes of the admin app, merged into the registry by the lead. Messages
 * say what to do instead; none carries a secret.
 */
export const ADMIN_ERRORS = {
  E_ADMIN_SELF_LOCKOUT: {
    status: 409,
    meaning:
      "An administrator tried to disable their own account, take a role from it or reset its two-factor sign-in; another admin must do it.",
  },
  E_ADMIN_PROTECTED_ROLE: {
    status: 409,
    meaning: "The built-in super-admin role cannot be deleted or have its grants changed.",
  },
  E_ADMIN_QUEUE_UNAVAILABLE: {
    status: 503,
    meaning: "This admin process has no queue connection; the dashboard cannot list or change jobs.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;
