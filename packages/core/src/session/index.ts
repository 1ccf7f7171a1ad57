/**
 * The shared session layer: one login across every app. `sessionPlugin` gives
 * each request a lazy `request.session`; `createSessionStore` picks the store
 * SESSION_DRIVER names; `SessionDirectory` serves "sign out everywhere".
 * Design: docs/sessions.md.
 */
export { createSessionStore, type SessionStoreClients } from "./create-session-store.js";
export { SESSION_ERRORS, type SessionErrorCode } from "./errors.js";
export type { SignInClient } from "./session-device.js";
export { type SessionDevice, SessionDevices } from "./session-devices.js";
export { SessionDirectory } from "./session-directory.js";
export { sessionNotFound } from "./session-not-found.js";
export { type SessionPluginOptions, sessionPlugin } from "./session-plugin.js";
export { resolveSessionSettings, type SessionSettings, type SessionTuning } from "./session-settings.js";
export { sessionMigrations } from "./stores/session-migrations.js";
export type { SessionDatabase, SessionsTable } from "./stores/session-table.js";
export {
  DEVICE_FIELD,
  type Session,
  type SessionChange,
  type SessionLogger,
  type SessionRecord,
  type SessionStore,
  type SessionSummary,
} from "./types.js";
export { describeUserAgent, type UserAgentLabel } from "./user-agent-label.js";
