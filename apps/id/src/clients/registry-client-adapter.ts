import type { AdapterPayload, OidcAdapter } from "../stores/oidc-adapter.js";
import { clientMetadataOf } from "./client-metadata.js";
import type { ClientSource } from "./client-source.js";

/**
 * The provider's "Client" model read from core's registry (marg-rbac's
 * oidc_clients): read-only, since clients are managed by admins (admin pages,
 * `marg oidc:client`), never registered through the provider.
 */
export class RegistryClientAdapter implements OidcAdapter {
  constructor(private readonly clients: ClientSource) {}

  async find(clientId: string): Promise<AdapterPayload | undefined> {
    const client = await this.clients.find(clientId);
    return client === null ? undefined : (clientMetadataOf(client) as AdapterPayload);
  }

  async upsert(): Promise<void> {
    throw new Error("OIDC clients are managed in the registry, not through the provider");
  }

  async findByUid(): Promise<undefined> {
    return undefined;
  }

  async findByUserCode(): Promise<undefined> {
    return undefined;
  }

  async consume(): Promise<void> {}

  async destroy(): Promise<void> {}

  async revokeByGrantId(): Promise<void> {}
}
