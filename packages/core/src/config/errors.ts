import type { ErrorCodeInfo } from "../errors/error-code-info.js";

/** Error codes of configuration: the environment, the .env files and the MARG_APPS list. */
export const CONFIG_ERRORS = {
  E_CONFIG_INVALID: { status: 500, meaning: "One or more configuration values are missing or invalid." },
  E_CONFIG_FILE: { status: 500, meaning: "A .env file could not be read or parsed." },
  E_APP_UNKNOWN: {
    status: 500,
    meaning: "An app name was given that is not listed in MARG_APPS or has no folder.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;
