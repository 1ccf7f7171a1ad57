import type { ErrorCodeInfo } from "@marg/core/errors";

/** Error codes raised by @marg/deploy (merged into the core registry and docs/errors.md by the lead). */
export const DEPLOY_ERRORS = {
  E_INVENTORY_INVALID: {
    status: 400,
    meaning: "The fleet inventory has errors; each line names the path in the file and the fix.",
  },
  E_INVENTORY_UNREADABLE: {
    status: 400,
    meaning: "The inventory file is missing, unreadable, or not valid YAML/JSON.",
  },
  E_RENDER_TARGET_NOT_EMPTY: {
    status: 400,
    meaning: "The output folder of `marg infra:render` already holds files; pass --force to replace them.",
  },
  E_SECRETS_FILE_INVALID: {
    status: 400,
    meaning: "The secrets file kept beside a render could not be read; fix or remove the named line.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;
