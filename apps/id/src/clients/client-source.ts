/**
 * What the provider needs of core's client registry (`@marg/core/oidc`, Contract 1
 * of issue 18): find a client, check a presented secret. Kept this narrow so a
 * test can hand the provider a registry of its own.
 */
import type { OidcClient, OidcClientRegistry } from "@marg/core/oidc";

export type { OidcClient };
export type ClientSource = Pick<OidcClientRegistry, "find" | "verifySecret">;
