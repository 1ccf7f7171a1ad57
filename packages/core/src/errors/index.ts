export { isMargError, MargError } from "./marg-error.js";
export { ERROR_CODES, type ErrorCode, type ErrorCodeInfo } from "./registry.js";
