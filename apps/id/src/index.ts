// The public face of @marg/id: the app (src/app.ts) and what the CLI and the worker import.
export { app, createIdApp } from "./app.js";
export {
  createIdServices,
  type IdOverrides,
  type IdServices,
  idSigningKeys,
  issuerOf,
} from "./app-services.js";
export { ID_APP } from "./db/database.js";
export { idMigrations } from "./db/migrations.js";
export { SigningKeys } from "./keys/signing-keys.js";
