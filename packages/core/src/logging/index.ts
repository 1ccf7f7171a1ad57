export { type CreateLoggerOptions, createLogger, type Logger } from "./create-logger.js";
export { createLogCapture, type LogCapture, type LogLine } from "./log-capture.js";
export { REDACTED, REDACTED_FIELDS, redactLogLine } from "./redaction.js";
