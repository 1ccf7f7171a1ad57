import type { Platform } from "@marg/core/platform";
import { siblingAppUrl } from "@marg/core/web";
import { createFindAccount } from "./accounts/find-account.js";
import type { ClientSource } from "./clients/client-source.js";
import { ID_APP, idDatabase } from "./db/database.js";
import { SigningKeySeal } from "./keys/signing-key-seal.js";
import { SigningKeys } from "./keys/signing-keys.js";
import { OidcSessionEnder } from "./logout/oidc-session-ender.js";
import { SessionLinks } from "./logout/session-links.js";
import { ProviderRuntime } from "./provider/provider-runtime.js";
import type { OidcAdapterFactory } from "./stores/oidc-adapter.js";
import { redisOidcAdapters } from "./stores/redis-oidc-adapter.js";
import { sqlOidcAdapters } from "./stores/sql-oidc-adapter.js";

/** Replaceable parts, for tests. */
export interface IdOverrides {
  /** The client registry; default the platform's (`platform.oidcClients`). */
  readonly clients?: ClientSource;
}

/** The services of the id app in one process (its server, or a worker ending sessions). */
export interface IdServices {
  readonly issuer: string;
  readonly runtime: ProviderRuntime;
  readonly keys: SigningKeys;
  readonly links: SessionLinks;
  readonly ender: OidcSessionEnder;
  readonly clients: ClientSource;
  /** "redis" when the installation has Redis, else "sql" (id_db's oidc_payloads). */
  readonly store: "redis" | "sql";
}

/**
 * The issuer is the id app's own origin: APP_URL in the id app's process, the
 * sibling URL (`<scheme>://id.<domain>[:port]`) from any other (a worker).
 */
export function issuerOf(platform: Platform): string {
  const config = platform.config;
  return config.app.id === ID_APP.id ? new URL(config.app.url).origin : siblingAppUrl(config, ID_APP.id);
}

/** The signing keys of the installation, from any process (the CLI's `marg oidc:keys`). */
export function idSigningKeys(platform: Platform): SigningKeys {
  const config = platform.config;
  const masterKeys = [config.app.key.reveal(), ...config.app.previousKeys.map((key) => key.reveal())];
  return new SigningKeys(idDatabase(platform), new SigningKeySeal(masterKeys), (message, details) =>
    platform.logger.warn(details, message),
  );
}

export function createIdServices(platform: Platform, overrides: IdOverrides = {}): IdServices {
  const db = idDatabase(platform);
  const config = platform.config;
  const masterKeys = [config.app.key.reveal(), ...config.app.previousKeys.map((key) => key.reveal())];
  const logger = platform.logger;
  const keys = idSigningKeys(platform);
  const links = new SessionLinks(db);
  const clients = overrides.clients ?? platform.oidcClients;
  const adapters: OidcAdapterFactory =
    platform.redis === undefined ? sqlOidcAdapters(db) : redisOidcAdapters(platform.redis);
  const issuer = issuerOf(platform);
  const runtime = new ProviderRuntime(keys, {
    issuer,
    adapters,
    clients,
    masterKeys,
    links,
    findAccount: createFindAccount(platform, clients),
    logger,
    production: config.app.env === "production",
  });
  const ender = new OidcSessionEnder(async () => (await runtime.current()).provider, links, logger);
  return {
    issuer,
    runtime,
    keys,
    links,
    ender,
    clients,
    store: platform.redis === undefined ? "sql" : "redis",
  };
}
