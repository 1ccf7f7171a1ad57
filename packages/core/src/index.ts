/**
 * @marg/core — the platform every MARG app uses. Import from here, never from
 * a file deep inside: each capability's index.ts is its public face.
 */

export * from "./app/index.js";
export * from "./auth/index.js";
export * from "./cache/index.js";
export * from "./config/index.js";
export * from "./context/index.js";
export * from "./crypto/index.js";
export * from "./db/index.js";
export * from "./doctor/index.js";
export * from "./errors/index.js";
export * from "./health/index.js";
export * from "./http/index.js";
export * from "./logging/index.js";
export * from "./mail/index.js";
export * from "./maintenance/index.js";
export * from "./metrics/index.js";
export * from "./platform/index.js";
export * from "./queue/index.js";
export * from "./rbac/index.js";
export * from "./redis/index.js";
export * from "./session/index.js";
export * from "./views/index.js";
export * from "./web/index.js";
