import { escapeHtml, type PageRenderer } from "@marg/core/web";
import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import { errors, type InteractionResults } from "oidc-provider";
import type { ClientSource } from "../clients/client-source.js";
import type { OidcSessionEnder } from "../logout/oidc-session-ender.js";
import { originsOf, widenFormAction } from "../provider/form-action.js";
import { INTERACTION_PATH } from "../provider/oidc-settings.js";
import type { CurrentProvider, ProviderRuntime } from "../provider/provider-runtime.js";
import { consentView, interactionGoneView } from "./consent-view.js";

export interface InteractionDeps {
  readonly runtime: ProviderRuntime;
  readonly clients: ClientSource;
  readonly ender: OidcSessionEnder;
  readonly pages: PageRenderer;
}

type Interaction = Awaited<ReturnType<CurrentProvider["provider"]["interactionDetails"]>>;
type UidParams = { uid: string };

/**
 * The provider's interactions, answered by the MARG session: sign-in finishes
 * from the signed-in MARG user (no password here; a guest goes to MARG's /login
 * and comes back), consent is a MARG form (CSRF-checked like every form) shown
 * only to clients that are not first-party.
 */
export function registerInteractionRoutes(app: FastifyInstance, deps: InteractionDeps): void {
  app.get<{ Params: UidParams }>(`${INTERACTION_PATH}/:uid`, async (request, reply) => {
    const found = await interactionOf(request, reply, deps);
    if (found === undefined) return reply;
    const { provider, interaction } = found;
    const user = request.user;
    if (user === null) {
      const next = `${INTERACTION_PATH}/${encodeURIComponent(interaction.uid)}`;
      return reply.redirect(`/login?next=${encodeURIComponent(next)}`, 303);
    }
    if (interaction.prompt.name === "login") {
      const previous = interaction.session;
      if (previous?.accountId !== undefined && previous.accountId !== String(user.id)) {
        // The browser's OIDC session is another person's: end it (their clients are told), then sign in anew.
        if (previous.cookie !== undefined) await deps.ender.endSessions([previous.cookie]);
        interaction.session = undefined;
        await interaction.save(interaction.exp - Math.floor(Date.now() / 1000));
      }
      const result: InteractionResults = {
        login: { accountId: String(user.id), ts: Math.floor(Date.now() / 1000), remember: true },
      };
      if (!cameFromSignInForm(request)) return finish(request, reply, provider, result, false);
      const returnTo = await provider.interactionResult(request.raw, reply.raw, result, {
        mergeWithLastSubmission: false,
      });
      // After MARG's sign-in form, the provider's last redirect leads to the client's origin,
      // which the form page's CSP `form-action` does not name: Chromium would stop the form's
      // redirect chain there. A Refresh starts a new navigation instead.
      return reply
        .header("refresh", `0;url=${returnTo}`)
        .type("text/html")
        .send(
          `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Signing you in</title></head><body><p><a href="${escapeHtml(returnTo)}">Continue</a></p></body></html>`,
        );
    }
    if (interaction.session?.accountId !== String(user.id)) {
      return finish(request, reply, provider, { error: "login_required" }, false);
    }
    const clientId = String(interaction.params.client_id ?? "");
    const client = await deps.clients.find(clientId);
    if (client === null) return finish(request, reply, provider, { error: "invalid_client" }, false);
    if (client.firstParty)
      return finish(request, reply, provider, await consent(provider, interaction), true);
    const csp = reply.getHeader("content-security-policy");
    if (typeof csp === "string") {
      reply.header("content-security-policy", widenFormAction(csp, originsOf(client.redirectUris)));
    }
    return deps.pages.page(request, reply, {
      title: `Allow ${client.name}?`,
      body: consentView({
        uid: interaction.uid,
        clientName: client.name,
        scopes: missingScopes(interaction),
        csrfToken: await request.session.csrfToken(),
        userName: user.name,
      }),
    });
  });

  app.post<{ Params: UidParams; Body: { decision?: string } }>(
    `${INTERACTION_PATH}/:uid/confirm`,
    async (request, reply) => {
      const found = await interactionOf(request, reply, deps);
      if (found === undefined) return reply;
      const { provider, interaction } = found;
      const user = request.user;
      if (user === null || interaction.session?.accountId !== String(user.id)) {
        return finish(request, reply, provider, { error: "login_required" }, false);
      }
      if (interaction.prompt.name !== "consent") return reply.redirect(interaction.returnTo, 303);
      if (request.body?.decision !== "allow") {
        const denied = { error: "access_denied", error_description: "The person did not allow it." };
        return finish(request, reply, provider, denied, false);
      }
      return finish(request, reply, provider, await consent(provider, interaction), true);
    },
  );
}

/** True when the browser arrives from MARG's sign-in form (its redirect chain), as its Referer says. */
function cameFromSignInForm(request: FastifyRequest): boolean {
  const referer = request.headers.referer;
  if (referer === undefined || !URL.canParse(referer)) return false;
  const from = new URL(referer);
  return from.host === request.host && from.pathname.startsWith("/login");
}

/** The interaction of this browser (its cookie) with this uid; an error page when it is gone. */
async function interactionOf(
  request: FastifyRequest<{ Params: UidParams }>,
  reply: FastifyReply,
  deps: InteractionDeps,
): Promise<{ provider: CurrentProvider["provider"]; interaction: Interaction } | undefined> {
  const { provider } = await deps.runtime.current();
  try {
    const interaction = await provider.interactionDetails(request.raw, reply.raw);
    if (interaction.uid === request.params.uid) return { provider, interaction };
  } catch (error) {
    if (!(error instanceof errors.OIDCProviderError)) throw error;
  }
  await deps.pages.page(request, reply, {
    title: "Sign-in expired",
    body: interactionGoneView(),
    status: 400,
  });
  return undefined;
}

function missingScopes(interaction: Interaction): string[] {
  const details = interaction.prompt.details as { missingOIDCScope?: string[] };
  return details.missingOIDCScope ?? [];
}

/** A grant of what the consent prompt found missing, kept with the interaction's grant if it had one. */
async function consent(
  provider: CurrentProvider["provider"],
  interaction: Interaction,
): Promise<InteractionResults> {
  const accountId = interaction.session?.accountId;
  const clientId = String(interaction.params.client_id);
  const existing =
    interaction.grantId === undefined ? undefined : await provider.Grant.find(interaction.grantId);
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const details = interaction.prompt.details as {
    missingOIDCScope?: string[];
    missingOIDCClaims?: string[];
    missingResourceScopes?: Record<string, string[]>;
  };
  if (details.missingOIDCScope) grant.addOIDCScope(details.missingOIDCScope.join(" "));
  if (details.missingOIDCClaims) grant.addOIDCClaims(details.missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(details.missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(" "));
  }
  return { consent: { grantId: await grant.save() } };
}

async function finish(
  request: FastifyRequest,
  reply: FastifyReply,
  provider: CurrentProvider["provider"],
  result: InteractionResults,
  merge: boolean,
): Promise<FastifyReply> {
  const returnTo = await provider.interactionResult(request.raw, reply.raw, result, {
    mergeWithLastSubmission: merge,
  });
  return reply.redirect(returnTo, 303);
}
