import type { ErrorCodeInfo } from "../errors/error-code-info.js";

/**
 * Error codes of RBAC, composed into core's list in kernel/core-errors.ts. `E_AUTH_REQUIRED`
 * is raised by the route guards; if the auth capability registers the same code,
 * keep one entry (same status and meaning).
 */
export const RBAC_ERRORS = {
  E_RBAC_FORBIDDEN: {
    status: 403,
    meaning: "Signed in, but without the permission or role this page or action needs; ask an admin.",
  },
  E_RBAC_INVALID_NAME: {
    status: 422,
    meaning:
      "A role, permission or app name is malformed (lowercase words; dots between permission segments).",
  },
  E_RBAC_UNKNOWN_ROLE: {
    status: 404,
    meaning: "No role has this name; the message lists the roles that exist.",
  },
  E_RBAC_UNKNOWN_PERMISSION: {
    status: 404,
    meaning: "No permission has this name; create it first or pick one the message suggests.",
  },
  E_RBAC_UNKNOWN_USER: { status: 404, meaning: "No user has this email or id." },
  E_RBAC_ALREADY_EXISTS: { status: 409, meaning: "A role or permission with this name already exists." },
  E_RBAC_GRANT_EXCEEDS_HOLDER: {
    status: 403,
    meaning:
      "A grant, revoke, role assignment or role deletion touches a permission the acting user does not hold themselves; ask someone who holds it.",
  },
  E_RBAC_SUPER_ADMIN_REQUIRED: {
    status: 403,
    meaning:
      "Only a super-admin may assign or take the super-admin role, or disable, enable, edit or reset the password of a super-admin.",
  },
  E_RBAC_LAST_SUPER_ADMIN: {
    status: 409,
    meaning:
      "The change would leave no active super-admin (disable, delete or demote the last one); make another user super-admin first.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;

/** Raised by the guards; listed here until the auth capability owns it. */
export const AUTH_REQUIRED_ERROR = {
  E_AUTH_REQUIRED: { status: 401, meaning: "This page needs a signed-in user; sign in and try again." },
} as const satisfies Record<string, ErrorCodeInfo>;
