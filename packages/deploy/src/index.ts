/**
 * @marg/deploy — every server config of a MARG fleet, rendered from one
 * inventory: nginx, HAProxy, Redis, Sentinel, MySQL, supervisor/systemd, ufw,
 * certbot, backups and .env.shared. Renderers are pure; `renderInventory` is
 * the one function that reads and writes.
 */

export * from "./backup/index.js";
export * from "./deploy/index.js";
export { DEPLOY_ERRORS } from "./errors.js";
export { appHost, appUrl, type Fleet, hasRole, resolveFleet, runsMarg } from "./fleet/fleet.js";
export { type Listener, listenersOf } from "./fleet/fleet-listeners.js";
export { checkInventory, RENDERED_ENV_NAMES } from "./inventory/inventory-checks.js";
export { formatPath, type InventoryIssue } from "./inventory/inventory-issue.js";
export {
  type Inventory,
  type InventoryApp,
  type InventoryServer,
  inventorySchema,
  ROLES,
  type Role,
} from "./inventory/inventory-schema.js";
export { type LoadedInventory, loadInventory, parseInventory } from "./inventory/load-inventory.js";
export { envSharedContent } from "./render/env-shared-renderer.js";
export { backendName, HAPROXY_SOCKET } from "./render/haproxy-names.js";
export { mysqldCnfPath } from "./render/mysqld-cnf-renderer.js";
export { RENDERERS, renderFleet, SECRETS_FILE } from "./render/render-fleet.js";
export type { RenderedFile, Renderer, RenderInput } from "./render/types.js";
export {
  type RenderInventoryOptions,
  type RenderInventoryResult,
  renderInventory,
} from "./render-inventory.js";
export * from "./rolling/index.js";
export {
  completeSecrets,
  type FleetSecrets,
  generatePassword,
  parseSecretsFile,
  SECRET_NAMES,
  type SecretName,
} from "./secrets/fleet-secrets.js";
export { MANIFEST_FILE, writeRenderedFiles } from "./write/write-rendered.js";
