import type { ErrorCodeInfo } from "@marg/core/errors";

/** Error codes of the `marg` command itself. */
export const CLI_ERRORS = {
  E_CLI_USAGE: { status: 400, meaning: "A command was called with missing or invalid arguments." },
} as const satisfies Record<string, ErrorCodeInfo>;
