import { AUTH_ERRORS } from "../auth/errors.js";
import { CACHE_ERRORS } from "../cache/errors.js";
import { CONFIG_ERRORS } from "../config/errors.js";
import { DB_ERRORS } from "../db/errors.js";
import type { ErrorCodeInfo } from "../errors/error-code-info.js";
import { HTTP_ERRORS } from "../errors/http-errors.js";
import { MAIL_ERRORS } from "../mail/errors.js";
import { MAINTENANCE_ERRORS } from "../maintenance/errors.js";
import { OIDC_ERRORS } from "../oidc/errors.js";
import { QUEUE_ERRORS } from "../queue/errors.js";
import { AUTH_REQUIRED_ERROR, RBAC_ERRORS } from "../rbac/errors.js";
import { REDIS_ERRORS } from "../redis/errors.js";
import { SESSION_ERRORS } from "../session/errors.js";

/**
 * Every code core raises: each capability declares its own in its `errors.ts`
 * and none knows this list; it is composed here, above them all. `marg errors:doc`
 * adds deploy's, the apps' and the CLI's, and renders docs/errors.md from the sum
 * (a test keeps the two in sync). Each file is imported directly, not through its
 * capability's index, so reading the list never loads a capability's runtime.
 */
export const CORE_ERRORS = {
  ...HTTP_ERRORS,
  ...CONFIG_ERRORS,
  ...REDIS_ERRORS,
  ...AUTH_ERRORS,
  ...DB_ERRORS,
  ...SESSION_ERRORS,
  ...CACHE_ERRORS,
  ...RBAC_ERRORS,
  ...AUTH_REQUIRED_ERROR,
  ...QUEUE_ERRORS,
  ...MAIL_ERRORS,
  ...MAINTENANCE_ERRORS,
  ...OIDC_ERRORS,
} as const satisfies Record<string, ErrorCodeInfo>;

export type CoreErrorCode = keyof typeof CORE_ERRORS;
