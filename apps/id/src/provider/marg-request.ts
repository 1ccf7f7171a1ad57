import type { IncomingMessage } from "node:http";
import type { HtmlValue } from "@marg/core/web";

/**
 * What the Fastify side knows of a request that the provider (Koa, inside)
 * needs: the MARG user and session, a page renderer in MARG's layout, and how to
 * sign the person out of MARG. Set on the raw request before it is handed over.
 */
export interface MargRequest {
  /** The signed-in MARG user's id, or null for a guest. */
  readonly userId: number | null;
  /** The MARG session's handle (what links an OIDC session to it), or undefined for none. */
  readonly handle: string | undefined;
  /** A page body in MARG's layout, as a full HTML document. */
  renderPage(options: { title: string; body: HtmlValue; status: number }): Promise<string>;
  /** Ends the MARG session of this request (RP-initiated logout ends MARG's too). */
  signOut(): Promise<void>;
}

const MARG = Symbol("marg.request");

type Carrier = IncomingMessage & { [MARG]?: MargRequest };

export function attachMargRequest(raw: IncomingMessage, marg: MargRequest): void {
  (raw as Carrier)[MARG] = marg;
}

/** The MARG side of a request the provider is handling; undefined outside the Fastify bridge (tests of the provider alone). */
export function margRequestOf(raw: IncomingMessage): MargRequest | undefined {
  return (raw as Carrier)[MARG];
}
