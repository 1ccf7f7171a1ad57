import { MYSQL_DRIVER } from "./test-support/flow-db-drivers.js";
import { defineFlowSchemaSuite } from "./test-support/flow-schema-suite.js";

defineFlowSchemaSuite(MYSQL_DRIVER);
