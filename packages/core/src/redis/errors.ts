import type { ErrorCodeInfo } from "../errors/error-code-info.js";

/** Error codes of the Redis connections. */
export const REDIS_ERRORS = {
  E_REDIS_UNAVAILABLE: { status: 503, meaning: "Redis could not be reached." },
  E_REDIS_NOT_CONFIGURED: { status: 500, meaning: "Redis was asked for while every driver is embedded." },
} as const satisfies Record<string, ErrorCodeInfo>;
