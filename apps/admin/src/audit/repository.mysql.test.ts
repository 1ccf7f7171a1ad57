import { MYSQL_DRIVER } from "../test-support/audit-db-drivers.js";
import { defineAuditLogSuite } from "../test-support/audit-log-suite.js";

defineAuditLogSuite(MYSQL_DRIVER);
