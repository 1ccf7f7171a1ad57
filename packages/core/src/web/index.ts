export {
  type AppLink,
  createAppDirectoryFallback,
  renderAppDirectoryPage,
} from "../web/app-directory-page.js";
export { createHttpApp } from "../web/create-http-app.js";
export { batchesOf, type CsvValue, csvCell, csvLine, writeCsvFile } from "../web/csv-file.js";
export { renderDefaultErrorPage, titleForStatus } from "../web/error-page.js";
export { wantsJson } from "../web/error-response.js";
export { csrfField, type FieldOptions, field } from "../web/form.js";
export {
  type GracefulShutdown,
  type GracefulShutdownOptions,
  installGracefulShutdown,
  type ShutdownCloser,
} from "../web/graceful-shutdown.js";
export { createHostRouter, type HostRouterOptions, hostnameOf, type RawHandler } from "../web/host-router.js";
export { escapeHtml, type HtmlValue, html, raw, SafeHtml } from "../web/html.js";
export { toHttpError } from "../web/http-error-mapping.js";
export {
  type FlashMessage,
  type LayoutApp,
  type LayoutOptions,
  type LayoutUser,
  type NavLink,
  renderLayout,
} from "../web/layout.js";
export { createProxyTrust, type ProxyTrust } from "../web/proxy-trust.js";
export { REQUEST_ID_HEADER, REQUEST_ID_PATTERN } from "../web/request-id.js";
export { SECURITY_HEADERS } from "../web/standard-headers.js";
export type { ErrorPageContext, HttpAppOptions, HttpErrorView, RenderErrorPage } from "../web/types.js";
export { appOrigins, layoutApps, siblingAppUrl } from "./app-links.js";
export { loadCurrentUser, refreshSessionUser, type SessionUser, signInSession } from "./current-user.js";
export { MULTIPART_CSRF_ROUTE } from "./multipart-csrf.js";
export { flash, type PageOptions, type PageRenderer } from "./page-renderer.js";
export { PLUGIN as REQUEST_PATH_PLUGINS } from "./plugins/plugin-names.js";
export { loginRedirectUrl, rbacDenialResponder, sendRbacDenial } from "./rbac-denial-response.js";
export { requireAuth } from "./require-auth.js";
export { sessionDevicesTable } from "./session-devices-view.js";
export {
  type ApiErrorBody,
  type ApiErrorSchema,
  apiErrorResponses,
  apiErrorSchema,
  errorFieldErrors,
  type FieldErrors,
  type FieldIssue,
  fieldErrors,
  parseJson,
  type Validated,
  validateForm,
  validationError,
} from "./validation/index.js";
