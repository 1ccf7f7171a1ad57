export * from "../http/index.js";
export * from "../views/index.js";
export { appOrigins, layoutApps, siblingAppUrl } from "./app-links.js";
export { type AppServerOptions, createAppServer } from "./create-app-server.js";
export { loadCurrentUser, refreshSessionUser, type SessionUser, signInSession } from "./current-user.js";
export { MULTIPART_CSRF_ROUTE } from "./multipart-csrf.js";
export { flash, type PageOptions, type PageRenderer } from "./page-renderer.js";
export { requireAuth } from "./require-auth.js";
