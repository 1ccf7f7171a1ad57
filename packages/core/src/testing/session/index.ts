/**
 * `@marg/core/testing/session`: the database session store itself, which
 * `@marg/core/session` keeps behind its lazily loaded factory, for tests that
 * write a session row directly.
 */
export { DatabaseSessionStore } from "../../session/stores/database-session-store.js";
