import { interactionPolicy, type KoaContextWithOIDC } from "oidc-provider";
import type { SessionLinks } from "../logout/session-links.js";
import { margRequestOf } from "./marg-request.js";

const { Check, base } = interactionPolicy;

/**
 * oidc-provider's default prompts plus one check on `login`: the OIDC session
 * must belong to the MARG session of this request (same user, same MARG session
 * handle). Otherwise the login interaction runs again and finishes from the
 * current MARG session, so a different person signing in to MARG is never handed
 * the previous account, and a MARG sign-out is never undone by the provider's own
 * cookie. With `prompt=none` the client gets `login_required` instead.
 */
export function margSessionCheck(links: SessionLinks) {
  const policy = base();
  policy.get("login")?.checks.add(
    new Check(
      "marg_session",
      "the MARG session changed",
      "login_required",
      async (ctx: KoaContextWithOIDC) => {
        const session = ctx.oidc.session;
        // A login just submitted (the resume step) is the MARG session's by construction.
        if (session === undefined || session.accountId === undefined || ctx.oidc.result?.login) {
          return Check.NO_NEED_TO_PROMPT;
        }
        const marg = margRequestOf(ctx.req);
        if (marg === undefined || marg.userId === null || String(marg.userId) !== session.accountId) {
          return Check.REQUEST_PROMPT;
        }
        const linked = await links.handleOf(session.jti);
        return linked !== undefined && linked === marg.handle
          ? Check.NO_NEED_TO_PROMPT
          : Check.REQUEST_PROMPT;
      },
    ),
  );
  return policy;
}
