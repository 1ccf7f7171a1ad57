import type { Logger } from "@marg/core/logging";
import type Provider from "oidc-provider";
import type { KoaContextWithOIDC } from "oidc-provider";
import { revokeGrant } from "../logout/oidc-session-ender.js";
import type { SessionLinks } from "../logout/session-links.js";
import { margRequestOf } from "./marg-request.js";
import { OIDC_TTL } from "./oidc-settings.js";

const ENDED = Symbol("marg.endSession");

/**
 * What MARG adds around every provider request:
 * - after a sign-in finishes (the authorization resume), the OIDC session is linked
 *   to the MARG session it came from (session-links.ts), for back-channel logout;
 * - after an RP-initiated logout the person confirmed ("Yes, sign me out"), every
 *   grant of the OIDC session is revoked and the MARG session ends too;
 * - the provider's errors are logged by code, never with a code, token or secret
 *   (oidc-provider's messages name none; the request body is never logged).
 */
export function installProviderMiddleware(
  provider: Provider,
  deps: { readonly links: SessionLinks; readonly logger: Logger },
): void {
  provider.on("end_session.success", (ctx: KoaContextWithOIDC) => {
    if (ctx.oidc.params?.logout) (ctx.state as Record<symbol, boolean>)[ENDED] = true;
  });
  provider.on("server_error", (_ctx: KoaContextWithOIDC, error: Error) => {
    deps.logger.error({ err: { message: error.message, name: error.name } }, "oidc-provider server error");
  });
  const refused =
    (event: string) => (_ctx: KoaContextWithOIDC, error: Error & { error?: string; status?: number }) => {
      if ((error.status ?? 500) >= 500) return;
      deps.logger.info({ event, code: error.error ?? error.name }, "oidc request refused");
    };
  provider.on("authorization.error", refused("authorization.error"));
  provider.on("grant.error", refused("grant.error"));
  provider.on("end_session.error", refused("end_session.error"));
  provider.on("userinfo.error", refused("userinfo.error"));

  provider.use(async (ctx, next) => {
    await next();
    const oidc = (ctx as KoaContextWithOIDC).oidc;
    const marg = margRequestOf(ctx.req);
    if (oidc === undefined || marg === undefined) return;
    if (oidc.route === "resume" && ctx.status < 400) {
      const session = oidc.session;
      if (session?.accountId !== undefined && marg.userId !== null && marg.handle !== undefined) {
        await deps.links.link(session.jti, marg.userId, marg.handle, OIDC_TTL.Session);
      }
    }
    if (oidc.route === "end_session_confirm" && (ctx.state as Record<symbol, boolean>)[ENDED]) {
      // Signing out is signing out: grants with offline_access, which oidc-provider keeps
      // past a logout, are revoked too, as when the person signs out of MARG elsewhere.
      for (const authorization of Object.values(oidc.session?.authorizations ?? {})) {
        if (authorization.grantId !== undefined) await revokeGrant(provider, authorization.grantId);
      }
      await marg.signOut();
    }
  });
}
