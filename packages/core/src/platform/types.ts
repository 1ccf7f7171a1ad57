import type { Kysely } from "kysely";
import type { AccountEventLog } from "../auth/account-events.js";
import type { AccountInvitationService } from "../auth/account-invitation-service.js";
import type { AuthDatabase } from "../auth/auth-schema.js";
import type { PasswordHasher } from "../auth/password-hasher.js";
import type { PasswordResetService } from "../auth/password-reset-service.js";
import type { SignInService } from "../auth/sign-in-service.js";
import type { ThrottleStore } from "../auth/types.js";
import type { UserRepository } from "../auth/user-repository.js";
import type { CacheStore } from "../cache/types.js";
import type { MargConfig } from "../config/config-types.js";
import type { Databases } from "../db/types.js";
import type { Logger } from "../logging/create-logger.js";
import type { Mailer } from "../mail/types.js";
import type { OidcClientRegistry } from "../oidc/oidc-client-types.js";
import type { Queue } from "../queue/queue-service.js";
import type { QueueBackend } from "../queue/types.js";
import type { RbacService } from "../rbac/rbac-service.js";
import type { RedisConnections } from "../redis/types.js";
import type { SessionStore } from "../session/types.js";
import type { AccountServices } from "./account-services.js";
import type { AppDatabaseOf } from "./app-databases.js";

/**
 * The services of one MARG process for one app's config: built once at start,
 * shared by every request, closed once at shutdown. Services receive stores and
 * connections from here; nothing else opens a client.
 */
export interface Platform {
  readonly config: MargConfig;
  readonly logger: Logger;
  readonly databases: Databases;
  /** The shared `marg-rbac` connection (users, roles, sessions of the embedded driver). */
  readonly rbacDb: Kysely<AuthDatabase>;
  /** Present when any driver is `redis`. */
  readonly redis: RedisConnections | undefined;
  readonly sessions: SessionStore;
  /** CACHE_STORE's store: Redis (the cache Redis when CACHE_REDIS_HOST is set), the cache table, or memory. */
  readonly cache: CacheStore;
  /** Permission checks for this app (permissions scoped to other apps do not count here). */
  readonly rbac: RbacService;
  readonly throttle: ThrottleStore;
  readonly hasher: PasswordHasher;
  readonly users: UserRepository;
  readonly signIn: SignInService;
  readonly passwordResets: PasswordResetService;
  /** Sign-up and invitation links: the account is created only when its link is used. */
  readonly invitations: AccountInvitationService;
  /** Two-factor sign-in, passkeys and personal API tokens (the shared RBAC database). */
  readonly accounts: AccountServices;
  /** The audit trail of account events (sign-ins, two-factor, passkeys, tokens, sessions ended). */
  readonly accountEvents: AccountEventLog;
  /** The OIDC clients (relying parties) the id app signs people in for; admin and `marg oidc:client` manage them. */
  readonly oidcClients: OidcClientRegistry;
  readonly mailer: Mailer;
  /** Dispatch jobs (QUEUE_CONNECTION's backend); workers run them. */
  readonly queue: Queue;
  readonly queueBackend: QueueBackend;
  /**
   * An app's own database by app id (`platform.appDatabase<LinksTables>("links")`):
   * the `app` connection in that app's own process, opened once with that app's
   * config elsewhere (a worker). Pass the app's definition (or `{ id, database }`)
   * when its database name is its default rather than a DB_DATABASE setting.
   */
  readonly appDatabase: AppDatabaseOf;
  /** Runs `fn` at close, in reverse order of registration (last opened, first closed). */
  onClose(fn: () => Promise<void> | void): void;
  close(): Promise<void>;
}
