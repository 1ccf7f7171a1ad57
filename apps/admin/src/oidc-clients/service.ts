import {
  createOidcClientRegistry,
  type NewOidcClient,
  type OidcClient,
  type OidcClientRegistry,
  oidcClientAuditEntry,
} from "@marg/core/oidc";
import type { Kysely } from "kysely";
import type { Actor } from "../audit/actor.js";
import type { AuditLog } from "../audit/repository.js";
import type { AdminDatabase } from "../database.js";

/**
 * Admin's changes to the sign-in clients: each runs core's registry inside the audit
 * log's transaction, so a client never changes without its `oidc.client.*` row.
 */
export class OidcClientAdminService {
  readonly #audit: AuditLog;
  readonly #production: boolean;
  readonly list: () => Promise<readonly OidcClient[]>;

  constructor(deps: { audit: AuditLog; db: Kysely<AdminDatabase>; production: boolean }) {
    this.#audit = deps.audit;
    this.#production = deps.production;
    const reader = this.#registry(deps.db);
    this.list = () => reader.list();
  }

  #registry(db: Kysely<AdminDatabase>): OidcClientRegistry {
    return createOidcClientRegistry(db, { production: this.#production });
  }

  /** The new client and its secret (null for a public client), shown once. */
  create(actor: Actor, input: NewOidcClient): Promise<{ client: OidcClient; secret: string | null }> {
    return this.#audit.change(async (trx) => {
      const created = await this.#registry(trx).create(input);
      return { result: created, audit: oidcClientAuditEntry("oidc.client.create", created.client, actor) };
    });
  }

  /** A new secret for a confidential client, shown once; E_OIDC_CLIENT_UNKNOWN, E_OIDC_CLIENT_PUBLIC. */
  rotateSecret(actor: Actor, clientId: string): Promise<{ client: OidcClient; secret: string }> {
    return this.#audit.change(async (trx) => {
      const registry = this.#registry(trx);
      const secret = await registry.rotateSecret(clientId);
      const client = await registry.find(clientId);
      if (client === null) throw new Error(`client ${clientId} vanished inside its own transaction`);
      return {
        result: { client, secret },
        audit: oidcClientAuditEntry("oidc.client.rotate-secret", client, actor),
      };
    });
  }

  /** The deleted client, or null when there was none. */
  delete(actor: Actor, clientId: string): Promise<OidcClient | null> {
    return this.#audit.change(async (trx) => {
      const registry = this.#registry(trx);
      const found = await registry.find(clientId);
      if (found === null || !(await registry.delete(clientId))) return { result: null, audit: null };
      return { result: found, audit: oidcClientAuditEntry("oidc.client.delete", found, actor) };
    });
  }
}
