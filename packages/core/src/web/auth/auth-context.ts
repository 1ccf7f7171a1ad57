import type { Platform } from "../../platform/types.js";
import type { PageRenderer } from "../page-renderer.js";
import type { AccountSections } from "./account-sections.js";

/** What the built-in account pages need: the platform's services and the page renderer. */
export interface AuthRouteContext {
  readonly platform: Platform;
  readonly pages: PageRenderer;
  /** The account page's extra cards; each account feature adds its own. */
  readonly accountSections: AccountSections;
  /** Sends the password-reset mail (through the queue when there is one). */
  sendResetMail(to: string, link: string): Promise<void>;
  /** True for an app's address that redirects off-site (see `MargAppDefinition.redirectsOffSite`). */
  redirectsOffSite?(origin: string, pathname: string): boolean;
}

/** Reads a string field of a parsed form or JSON body. */
export function bodyField(body: unknown, name: string): string | undefined {
  if (typeof body !== "object" || body === null) return undefined;
  const value = (body as Record<string, unknown>)[name];
  return typeof value === "string" ? value : undefined;
}

/** A string query parameter. */
export function queryParam(query: unknown, name: string): string | undefined {
  return bodyField(query, name);
}
