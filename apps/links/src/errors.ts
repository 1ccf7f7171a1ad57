import type { ErrorCodeInfo } from "@marg/core/errors";

/** Error codes of links.marg (merged into core's registry and docs/errors.md by the lead). */
export const LINKS_ERRORS = {
  E_LINK_NOT_FOUND: {
    status: 404,
    meaning: "No short link answers at this address (unknown, disabled or deleted), or it is not yours.",
  },
  E_LINK_TARGET_PRIVATE: {
    status: 403,
    meaning:
      "The short link leads to a loopback, private, link-local or metadata address (stored before such targets were refused); its owner must change it, or the operator sets LINKS_ALLOW_PRIVATE_TARGETS=true.",
  },
  E_LINK_EXPORT_UNAVAILABLE: {
    status: 503,
    meaning: "The CSV export could not be queued (the queue is not reachable).",
  },
} as const satisfies Record<string, ErrorCodeInfo>;
