export { type AppLink, createAppDirectoryFallback, renderAppDirectoryPage } from "./app-directory-page.js";
export { createHttpApp } from "./create-http-app.js";
export { renderDefaultErrorPage, titleForStatus } from "./error-page.js";
export { wantsJson } from "./error-response.js";
export {
  type GracefulShutdown,
  type GracefulShutdownOptions,
  installGracefulShutdown,
  type ShutdownCloser,
} from "./graceful-shutdown.js";
export { createHostRouter, type HostRouterOptions, hostnameOf, type RawHandler } from "./host-router.js";
export { toHttpError } from "./http-error-mapping.js";
export { createProxyTrust, type ProxyTrust } from "./proxy-trust.js";
export { REQUEST_ID_HEADER, REQUEST_ID_PATTERN } from "./request-id.js";
export { SECURITY_HEADERS } from "./standard-headers.js";
export type { ErrorPageContext, HttpAppOptions, HttpErrorView, RenderErrorPage } from "./types.js";
