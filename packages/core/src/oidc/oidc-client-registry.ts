import type { Kysely, Selectable } from "kysely";
import { isUniqueViolation } from "../auth/user-rows.js";
import { clientSecretMatches, hashClientSecret, newClientSecret } from "./oidc-client-secret.js";
import type { OidcClientsTable, OidcDatabase } from "./oidc-client-tables.js";
import type { NewOidcClient, OidcClient, OidcClientRegistry } from "./oidc-client-types.js";
import { isClientIdShape, oidcError, validateNewClient } from "./oidc-client-validation.js";

export interface OidcClientRegistryOptions {
  /**
   * APP_ENV=production: redirect and logout URIs must be https (loopback http excepted).
   * Default true, so a registry built without a config is closed.
   */
  readonly production?: boolean;
  readonly clock?: () => number;
}

/** Compared against when a client has no secret, so an unknown id costs the same hash and compare as a known one. */
const NO_SECRET_HASH = hashClientSecret("");

const unknownClient = (clientId: string) =>
  oidcError(
    "E_OIDC_CLIENT_UNKNOWN",
    `No sign-in client is registered as "${clientId.slice(0, 64)}"; \`marg oidc:client list\` shows the ones that are.`,
  );

/**
 * The OIDC client registry on the shared `marg-rbac` database (`platform.oidcClients`).
 * Secrets are shown once and stored as SHA-256; public clients have none.
 *
 * @example
 * const clients = createOidcClientRegistry(platform.rbacDb, { production: config.app.production });
 * const { client, secret } = await clients.create({
 *   clientId: "grafana", name: "Grafana", redirectUris: ["https://grafana.example.com/login/generic_oauth"],
 * });
 * await clients.verifySecret("grafana", secret ?? ""); // true
 */
export function createOidcClientRegistry<DB extends OidcDatabase>(
  database: Kysely<DB>,
  options: OidcClientRegistryOptions = {},
): OidcClientRegistry {
  // Only `oidc_clients` is touched: narrowing the type lets any database that holds it be passed.
  const db = database as unknown as Kysely<OidcDatabase>;
  const production = options.production ?? true;
  const now = options.clock ?? Date.now;

  const rowOf = (clientId: string) =>
    db.selectFrom("oidc_clients").selectAll().where("client_id", "=", clientId).executeTakeFirst();

  return {
    async create(input: NewOidcClient) {
      const valid = validateNewClient(input, production);
      const taken = await rowOf(valid.clientId);
      if (taken !== undefined) throw exists(valid.clientId);
      const issued = valid.type === "confidential" ? newClientSecret() : null;
      const at = now();
      const row = {
        client_id: valid.clientId,
        name: valid.name,
        type: valid.type,
        secret_hash: issued?.hash ?? null,
        redirect_uris: JSON.stringify(valid.redirectUris),
        post_logout_redirect_uris: JSON.stringify(valid.postLogoutRedirectUris),
        backchannel_logout_uri: valid.backchannelLogoutUri,
        first_party: valid.firstParty ? 1 : 0,
        app_scope: valid.appScope,
        created_at: at,
        updated_at: at,
        secret_rotated_at: null,
      };
      try {
        await db.insertInto("oidc_clients").values(row).execute();
      } catch (error) {
        // Two creates of one id at once: the unique index decides, the loser gets the same typed error.
        if (isUniqueViolation(error)) throw exists(valid.clientId);
        throw error;
      }
      return { client: toClient(row), secret: issued?.secret ?? null };
    },

    async list() {
      const rows = await db.selectFrom("oidc_clients").selectAll().orderBy("client_id").execute();
      return rows.map(toClient);
    },

    async find(clientId) {
      if (!isClientIdShape(clientId)) return null;
      const row = await rowOf(clientId);
      return row === undefined ? null : toClient(row);
    },

    async verifySecret(clientId, presented) {
      const row = isClientIdShape(clientId)
        ? await db
            .selectFrom("oidc_clients")
            .select(["secret_hash", "type"])
            .where("client_id", "=", clientId)
            .executeTakeFirst()
        : undefined;
      const stored = row?.type === "confidential" ? row.secret_hash : null;
      const matches = clientSecretMatches(presented, stored ?? NO_SECRET_HASH);
      return stored !== null && matches;
    },

    async rotateSecret(clientId) {
      const row = isClientIdShape(clientId) ? await rowOf(clientId) : undefined;
      if (row === undefined) throw unknownClient(clientId);
      if (row.type !== "confidential") {
        throw oidcError(
          "E_OIDC_CLIENT_PUBLIC",
          `"${clientId}" is a public client: it has no secret to rotate, it signs in with PKCE alone.`,
        );
      }
      const { secret, hash } = newClientSecret();
      const at = now();
      const result = await db
        .updateTable("oidc_clients")
        .set({ secret_hash: hash, secret_rotated_at: at, updated_at: at })
        .where("client_id", "=", clientId)
        .executeTakeFirst();
      // Deleted between the read and the write: say so rather than hand out a secret nothing accepts.
      if (Number(result.numUpdatedRows) !== 1) throw unknownClient(clientId);
      return secret;
    },

    async delete(clientId) {
      if (!isClientIdShape(clientId)) return false;
      const result = await db.deleteFrom("oidc_clients").where("client_id", "=", clientId).executeTakeFirst();
      return Number(result.numDeletedRows) === 1;
    },
  };
}

const exists = (clientId: string) =>
  oidcError(
    "E_OIDC_CLIENT_EXISTS",
    `A sign-in client "${clientId}" already exists: pick another client id.`,
    {
      clientId: "A client with this id already exists.",
    },
  );

function toClient(row: Omit<Selectable<OidcClientsTable>, "id">): OidcClient {
  const rotated = row.secret_rotated_at;
  return {
    clientId: row.client_id,
    name: row.name,
    type: row.type === "public" ? "public" : "confidential",
    redirectUris: JSON.parse(row.redirect_uris) as string[],
    postLogoutRedirectUris: JSON.parse(row.post_logout_redirect_uris) as string[],
    backchannelLogoutUri: row.backchannel_logout_uri,
    firstParty: Number(row.first_party) === 1,
    appScope: row.app_scope,
    createdAt: new Date(Number(row.created_at)),
    secretRotatedAt: rotated === null ? null : new Date(Number(rotated)),
  };
}
