/**
 * OIDC: the registry of clients (relying parties) that sign people in through MARG's
 * id app. Lives in marg-rbac; admin pages and `marg oidc:client` manage it, the id
 * app reads it (`platform.oidcClients`).
 */

export { OIDC_ERRORS, type OidcErrorCode } from "./errors.js";
export { OIDC_CLIENT_SUBJECT, type OidcClientAction, oidcClientAuditEntry } from "./oidc-client-audit.js";
export { createOidcClientRegistry, type OidcClientRegistryOptions } from "./oidc-client-registry.js";
export {
  clientSecretMatches,
  hashClientSecret,
  newClientSecret,
  OIDC_CLIENT_SECRET_PREFIX,
} from "./oidc-client-secret.js";
export type { OidcClientsTable, OidcDatabase } from "./oidc-client-tables.js";
export type { NewOidcClient, OidcClient, OidcClientRegistry, OidcClientType } from "./oidc-client-types.js";
export { isClientIdShape, type OidcClientField, validateNewClient } from "./oidc-client-validation.js";
export { oidcMigrations } from "./oidc-migrations.js";
