import type { Logger } from "../logging/index.js";

/** Everything an error page may show; every string is untrusted and must be escaped. */
export interface ErrorPageContext {
  readonly status: number;
  /** The stable code, e.g. `E_HTTP_NOT_FOUND`. */
  readonly code: string;
  /** A short heading for the status, e.g. "Page not found". */
  readonly title: string;
  /** What happened and what to do; never internal detail outside debug mode. */
  readonly message: string;
  readonly requestId: string;
  /** Field name → problem, for validation errors. */
  readonly fields?: Readonly<Record<string, string>>;
  readonly appName: string;
  /** The stack, only in local debug mode (APP_DEBUG outside production). */
  readonly debugStack?: string;
}

/** Renders a complete HTML document for an error. Replaceable, so apps can use their shared layout. */
export type RenderErrorPage = (context: ErrorPageContext) => string;

export interface HttpAppOptions {
  /** Default: `createLogger(config)`. */
  logger?: Logger;
  /** Default: a small standalone page (`renderDefaultErrorPage`). */
  renderErrorPage?: RenderErrorPage;
  /** Headers on every response (an app server's X-Marg-Version and X-Served-By). */
  identityHeaders?: Readonly<Record<string, string>>;
}

/** An error as the client will see it: what the handler sends, in JSON or HTML. */
export interface HttpErrorView {
  readonly status: number;
  readonly code: string;
  readonly message: string;
  readonly fields?: Readonly<Record<string, string>>;
  /** True for a failure of ours (5xx): logged at error level, message hidden outside debug. */
  readonly internal: boolean;
}
