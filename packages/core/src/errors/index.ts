export type { ErrorCodeInfo } from "./error-code-info.js";
export { HTTP_ERRORS, type HttpErrorCode } from "./http-errors.js";
export { isMargError, MargError } from "./marg-error.js";
