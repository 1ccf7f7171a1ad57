/**
 * @marg/core — the platform every MARG app uses. Import from here, never from
 * a file deep inside: each capability's index.ts is its public face.
 */
export * from "./config/index.js";
export * from "./context/index.js";
export * from "./errors/index.js";
export * from "./app/index.js";
export type { ConnectionName, MigrationSet } from "./db/migration-types.js";
export * from "./auth/index.js";
