export { type CreateLoggerOptions, createLogger, type Logger } from "./create-logger.js";
export { createLogCapture, type LogCapture, type LogLine } from "./log-capture.js";
export {
  createLineRedactor,
  createQueryRedactor,
  REDACTED,
  REDACTED_FIELDS,
  REDACTED_QUERY_PARAMS,
  redactLogLine,
} from "./redaction.js";
