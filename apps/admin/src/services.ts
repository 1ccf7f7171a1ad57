import type { AppContext } from "@marg/core/app";
import type { MargConfig } from "@marg/core/config";
import { announceSessionsEnded, mailSendJob, type Platform } from "@marg/core/platform";
import { SessionDevices, SessionDirectory } from "@marg/core/session";
import { siblingAppUrl } from "@marg/core/web";
import type { Kysely } from "kysely";
import { AccessChangeGate } from "./access/service.js";
import { AuditLog } from "./audit/repository.js";
import type { AdminDatabase } from "./database.js";
import { FeedbackReader, type FeedbackTables } from "./feedback/repository.js";
import { type AppHealth, checkAppsHealth, type HealthTarget } from "./health/service.js";
import { OidcClientAdminService } from "./oidc-clients/service.js";
import { PermissionHolders } from "./permissions/repository.js";
import { type AdminQueue, platformQueue } from "./queues/queue.js";
import { QueueAdminService } from "./queues/service.js";
import { RbacAdminService } from "./roles/service.js";
import { UserInviteService } from "./users/invite-service.js";
import { resetLinkBase } from "./users/reset-mail.js";
import { UserAdminService } from "./users/service.js";

/** What `createAdminApp` lets an installation (or a test) change. */
export interface AdminAppOptions {
  /** Where an app of MARG_APPS answers, for the health overview. Default: `siblingAppUrl`. */
  readonly appUrl?: (config: MargConfig, appId: string) => string;
  /** The queue the dashboard shows. Default: the platform's (see `platformQueue`). */
  readonly queue?: (platform: Platform) => AdminQueue | undefined;
  /** Per-app budget of the health overview, in ms. Default 1 500. */
  readonly healthTimeoutMs?: number;
}

/** The admin app's services for one process, built once from the platform. */
export interface AdminServices {
  readonly db: Kysely<AdminDatabase>;
  readonly audit: AuditLog;
  readonly users: UserAdminService;
  readonly invites: UserInviteService;
  readonly rbacAdmin: RbacAdminService;
  readonly holders: PermissionHolders;
  readonly sessions: SessionDirectory;
  /** Users' sessions with where each was signed in (the user page lists them). */
  readonly devices: SessionDevices;
  readonly feedback: FeedbackReader;
  readonly queueAdmin: QueueAdminService;
  /** The sign-in (OIDC) clients, changed with an audit row each. */
  readonly oidcClients: OidcClientAdminService;
  /** The queue, or undefined when this process has none. */
  queue(): AdminQueue | undefined;
  /** Every app's /health, asked now. */
  health(): Promise<AppHealth[]>;
}

export interface AdminRouteContext extends AppContext {
  readonly services: AdminServices;
}

export function createAdminServices(platform: Platform, options: AdminAppOptions): AdminServices {
  const db = platform.databases.connection<AdminDatabase>("rbac");
  const audit = new AuditLog(db);
  const gate = new AccessChangeGate(audit);
  const sessions = new SessionDirectory(platform.sessions);
  const devices = new SessionDevices(platform.sessions, platform.config);
  const { config } = platform;
  const appUrl = options.appUrl ?? siblingAppUrl;
  const titleOf = (id: string) => id.charAt(0).toUpperCase() + id.slice(1);
  // Resolved per check, not once: a test learns the apps' ports after they are built.
  const targets = (): HealthTarget[] =>
    config.app.apps.map((id) => ({ id, title: titleOf(id), url: appUrl(config, id) }));
  const queue = options.queue ?? platformQueue;
  return {
    db,
    audit,
    sessions,
    devices,
    users: new UserAdminService({
      users: platform.users,
      audit,
      gate,
      sessions,
      tokens: platform.accounts.tokens,
      devices,
      sessionsEnded: (event) => announceSessionsEnded(platform, event),
      events: platform.accountEvents,
      secondFactors: platform.accounts,
      resets: platform.passwordResets,
      sendMail: async (message) => {
        await platform.queue.dispatch(mailSendJob, message);
      },
      resetLinkBase: resetLinkBase(config),
    }),
    invites: new UserInviteService({
      users: platform.users,
      rbac: platform.rbac,
      audit,
      gate,
      sendMail: async (message) => {
        await platform.queue.dispatch(mailSendJob, message);
      },
      linkBase: resetLinkBase(config),
    }),
    rbacAdmin: new RbacAdminService({ audit, gate, rbac: platform.rbac }),
    holders: new PermissionHolders(db),
    feedback: new FeedbackReader({
      business: platform.databases.connection<FeedbackTables>("business"),
      rbac: db,
    }),
    queueAdmin: new QueueAdminService({ queue: () => queue(platform), audit }),
    queue: () => queue(platform),
    oidcClients: new OidcClientAdminService({ audit, db, production: config.app.production }),
    health: () =>
      checkAppsHealth(
        targets(),
        options.healthTimeoutMs === undefined ? {} : { timeoutMs: options.healthTimeoutMs },
      ),
  };
}
