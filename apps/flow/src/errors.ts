import { isMargError, MargError } from "@marg/core/errors";

/**
 * Error codes flow raises, to merge into core's registry (docs/errors.md).
 * Shape as core's: `{ status, meaning }`.
 */
export const FLOW_ERRORS = {
  E_TASK_NOT_FOUND: {
    status: 404,
    meaning: "No task has this id, or it is not one the signed-in user may see.",
  },
  E_ATTACHMENT_NOT_FOUND: {
    status: 404,
    meaning: "No attachment has this id on this task, or its file is gone from storage.",
  },
  E_UPLOAD_MISSING: { status: 422, meaning: "An upload form was sent without a file." },
  E_UPLOAD_TOO_LARGE: { status: 413, meaning: "An uploaded file is larger than the limit for its form." },
  E_UPLOAD_TYPE_NOT_ALLOWED: {
    status: 415,
    meaning: "An uploaded file is of a type the form does not accept (checked from its bytes).",
  },
  E_REPORT_NOT_FOUND: { status: 404, meaning: "No report of the signed-in user has this id." },
  E_REPORT_NOT_READY: {
    status: 409,
    meaning: "The report is still being made, or failed; it has no file yet.",
  },
} as const;

export type FlowErrorCode = keyof typeof FLOW_ERRORS;

/** A MargError with the status registered for `code`. */
export function flowError(
  code: FlowErrorCode,
  message: string,
  details?: Record<string, unknown>,
): MargError {
  return new MargError(code, message, { status: FLOW_ERRORS[code].status, ...(details ? { details } : {}) });
}

export function taskNotFound(id: number | string): MargError {
  return flowError(
    "E_TASK_NOT_FOUND",
    `There is no task ${id} that you can see. It may have been deleted; go back to the task list.`,
  );
}

/** The field messages a form should show for a flow upload error, or null for any other error. */
export function uploadFieldError(error: unknown): string | null {
  if (
    !isMargError(error) ||
    !["E_UPLOAD_MISSING", "E_UPLOAD_TOO_LARGE", "E_UPLOAD_TYPE_NOT_ALLOWED"].includes(error.code)
  ) {
    return null;
  }
  const fields = error.details?.fields as Record<string, unknown> | undefined;
  return typeof fields?.file === "string" ? fields.file : error.message;
}
