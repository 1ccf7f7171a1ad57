import type { ErrorCodeInfo } from "@marg/core/errors";

/** Error codes of `marg deploy` (merged into the core registry and docs/errors.md by the lead). */
export const DEPLOY_RUN_ERRORS = {
  E_DEPLOY_STEP_FAILED: {
    status: 500,
    meaning:
      "A step of `marg deploy` failed and the run stopped; the log names the step. Maintenance is lifted only if the old code is still in place.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;
