/**
 * The composition root: what is composed above the capabilities. Core's lists
 * of errors, migrations and seeders are gathered here, where no capability
 * can see them; apps' lists join where apps are composed (the CLI).
 */
export { CORE_ERRORS, type CoreErrorCode } from "./core-errors.js";
export { coreMigrations } from "./core-migrations.js";
export { coreSeeders } from "./core-seeders.js";
