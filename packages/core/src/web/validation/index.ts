export {
  type ApiErrorBody,
  type ApiErrorSchema,
  apiErrorResponses,
  apiErrorSchema,
} from "./api-error-schema.js";
export {
  errorFieldErrors,
  type FieldErrors,
  type FieldIssue,
  fieldErrors,
  validationError,
} from "./field-errors.js";
export { parseJson, type Validated, validateForm } from "./validate-input.js";
