import type { Platform } from "@marg/core/platform";
import type { Account, AccountClaims, KoaContextWithOIDC } from "oidc-provider";
import type { ClientSource } from "../clients/client-source.js";
import { appScopeClaims, type CataloguePermission } from "./app-scope-claims.js";

const CATALOGUE_TTL_MS = 30_000;

/**
 * oidc-provider's `findAccount`: the MARG user behind `sub` (the user id as a
 * string). A missing or disabled user is no account (undefined), so the
 * provider refuses a refresh for them with invalid_grant at once.
 */
export function createFindAccount(platform: Platform, clients: ClientSource) {
  // The permission catalogue changes rarely; one query per 30 s per process, not per token.
  let catalogue: { permissions: readonly CataloguePermission[]; at: number } | undefined;
  const cataloguePermissions = async (): Promise<readonly CataloguePermission[]> => {
    if (catalogue === undefined || Date.now() - catalogue.at > CATALOGUE_TTL_MS) {
      const permissions = (await platform.rbac.listPermissions()).map(({ name, app }) => ({ name, app }));
      catalogue = { permissions, at: Date.now() };
    }
    return catalogue.permissions;
  };

  return async (ctx: KoaContextWithOIDC, sub: string): Promise<Account | undefined> => {
    if (!/^[1-9][0-9]{0,15}$/.test(sub)) return undefined;
    const user = await platform.users.findById(Number(sub));
    if (user === null || user.disabledAt !== null) return undefined;
    const clientId = ctx.oidc.client?.clientId;
    return {
      accountId: sub,
      async claims(_use, scope): Promise<AccountClaims> {
        const scopes = new Set(scope.split(" "));
        const base: AccountClaims = {
          sub,
          email: user.email,
          // A MARG account exists only once the link mailed to its address was used (sign-up,
          // invitation) or an admin created it for that address: the address is the one that signs in.
          email_verified: true,
          name: user.name,
        };
        if (!scopes.has("roles") || clientId === undefined) return base;
        const client = await clients.find(clientId);
        const perms = await platform.rbac.permissionsFor(user.id);
        const claims = appScopeClaims(perms, client?.appScope ?? null, await cataloguePermissions());
        return { ...base, roles: [...claims.roles], permissions: [...claims.permissions] };
      },
    };
  };
}
