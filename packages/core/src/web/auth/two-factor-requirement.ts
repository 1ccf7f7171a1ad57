import type { FastifyReply, FastifyRequest } from "fastify";
import { hasSecondFactor, type SecondFactorServices, secondFactorsOf } from "../../auth/second-factors.js";
import type { TwoFactorRequirement } from "../../config/env-values.js";
import { MargError } from "../../errors/marg-error.js";
import type { UserPermissions } from "../../rbac/user-permissions.js";
import { wantsJson } from "../error-response.js";
import { TWO_FACTOR_SEEN_KEY } from "./two-factor-sign-in.js";

/** The set-up page, where AUTH_REQUIRE_2FA sends those who must set it up. */
export const TWO_FACTOR_SETUP_PATH = "/account/two-factor";

/**
 * Where a person sent to set-up was going (a path of this app, e.g. the id app's
 * `/interaction/…` of an OpenID sign-in): the recovery-codes page's "Continue" leads
 * back there, so the journey goes on after set-up instead of ending on /account.
 */
export const TWO_FACTOR_RETURN_KEY = "auth:two-factor-return";

/**
 * What stays reachable before two-factor is set up: the set-up itself (an authenticator
 * app, or a passkey instead), signing in and out, and what a page needs to show (assets,
 * avatars, favicon); /health and /metrics are for machines.
 */
const OPEN_PATHS =
  /^\/(?:account\/(?:two-factor|passkeys)(?:\/|$)|login(?:\/|$)|logout(?:-everywhere)?$|assets\/|avatars\/|favicon\.ico$|health$|metrics$)/;

/** How long the session trusts that the account has two-factor on before asking the database again. */
const RECHECK_MS = 60_000;

/**
 * True when AUTH_REQUIRE_2FA names this user: everyone (`all`), or a holder of one of
 * its roles (a super-admin holds every role, so `roles:admin` covers super-admins too).
 */
export function twoFactorRequiredFor(
  requirement: TwoFactorRequirement,
  permissions: UserPermissions | null,
): boolean {
  if (permissions === null || requirement === "none") return false;
  if (requirement === "all") return true;
  return requirement.roles.some((role) => permissions.hasRole(role));
}

/**
 * The preHandler of `marg-two-factor-requirement`: a signed-in user AUTH_REQUIRE_2FA
 * names, whose account has no second factor (neither a TOTP app nor a passkey: either
 * makes sign-in ask for a second step), goes to the set-up page (JSON: 403
 * E_AUTH_TWO_FACTOR_SETUP_REQUIRED). The session remembers for a minute that the
 * account has it on, so an ordinary page asks the database at most once a minute.
 */
export function twoFactorRequirementHook(requirement: TwoFactorRequirement, accounts: SecondFactorServices) {
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const user = request.user;
    if (user === null) return;
    // A bearer request is the token's, not a browser's: no session to send to set-up, and a
    // token only comes from its holder's account page (behind this check) or the operator's CLI.
    if (request.apiToken) return;
    if (OPEN_PATHS.test(request.url.split("?", 1)[0] ?? "")) return;
    if (!twoFactorRequiredFor(requirement, await request.permissions())) return;
    const seen = await request.session.get<number>(TWO_FACTOR_SEEN_KEY);
    if (typeof seen === "number" && Date.now() - seen < RECHECK_MS) return;
    if (hasSecondFactor(await secondFactorsOf(accounts, user.id))) {
      await request.session.set(TWO_FACTOR_SEEN_KEY, Date.now());
      return;
    }
    await request.session.delete(TWO_FACTOR_SEEN_KEY);
    if (wantsJson(request)) {
      throw new MargError(
        "E_AUTH_TWO_FACTOR_SETUP_REQUIRED",
        "Your role requires two-factor sign-in: set it up on your account page (/account/two-factor) first.",
        { status: 403 },
      );
    }
    if (request.method === "GET") await request.session.set(TWO_FACTOR_RETURN_KEY, request.url);
    await reply.redirect(TWO_FACTOR_SETUP_PATH, 303);
  };
}
