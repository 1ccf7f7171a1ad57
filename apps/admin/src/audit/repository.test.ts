import { SQLITE_DRIVER } from "../test-support/audit-db-drivers.js";
import { defineAuditLogSuite } from "../test-support/audit-log-suite.js";

defineAuditLogSuite(SQLITE_DRIVER);
