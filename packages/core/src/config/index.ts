export {
  APP_KEY_BYTES,
  decodeAppKey,
  generateAppKey,
  keyFingerprint,
  SEED_EXAMPLE_APP_KEY,
} from "./app-key.js";
export type {
  AppEnvironment,
  DbConnectionConfig,
  HostPort,
  MargConfig,
  RedisConnectionConfig,
  SqlDriver,
} from "./config-types.js";
export { readEnvFile } from "./env-files.js";
export { ENV_NAMES, envSchema } from "./env-schema.js";
export { CONFIG_ERRORS } from "./errors.js";
export { type LoadConfigOptions, loadConfig } from "./load-config.js";
export type { ConfigIssue } from "./resolve-config.js";
export { RETIRED_VARIABLES } from "./retired-variables.js";
export { Secret } from "./secret.js";
