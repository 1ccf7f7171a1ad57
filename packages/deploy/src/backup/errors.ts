import type { ErrorCodeInfo } from "@marg/core/errors";

/** Error codes raised by backups (merged into the core registry and docs/errors.md by the lead). */
export const BACKUP_ERRORS = {
  E_BACKUP_FAILED: {
    status: 500,
    meaning:
      "A backup could not be written; the message names the tool and its error. Nothing partial is kept.",
  },
  E_BACKUP_NOT_FOUND: {
    status: 400,
    meaning:
      "The backup file or its manifest (<file>.manifest.json) is missing; pass a file from `marg backup:list`.",
  },
  E_BACKUP_CORRUPT: {
    status: 400,
    meaning: "The backup does not match its checksum or manifest, or does not restore; do not rely on it.",
  },
  E_BACKUP_RESTORE_FAILED: {
    status: 500,
    meaning: "Restoring a backup failed; the message names the database and the client's error.",
  },
} as const satisfies Record<string, ErrorCodeInfo>;
