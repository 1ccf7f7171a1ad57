import type { ErrorCodeInfo } from "@marg/core/errors";

/** Error codes of rolling deploys (merged into the core registry and docs/errors.md by the lead). */
export const ROLLING_ERRORS = {
  E_HAPROXY_RUNTIME: {
    status: 500,
    meaning:
      "HAProxy's runtime API refused a command or could not be reached; check the stats socket path and that it is `level admin`.",
  },
  E_ROLLING_DRAIN_TIMEOUT: {
    status: 500,
    meaning:
      "A drained server still had sessions when the timeout ran out; it was set back to ready and nothing else was touched.",
  },
  E_ROLLING_COMMAND_FAILED: {
    status: 500,
    meaning:
      "The deploy command failed for a server; that server is left drained, the rest untouched. Fix and rerun.",
  },
  E_ROLLING_HEALTH_TIMEOUT: {
    status: 500,
    meaning:
      "A deployed server did not answer /health 200 (or HAProxy did not see it UP) in time; it is left drained.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;
