import {
  type AccountEventLog,
  hasSecondFactor,
  resetSecondFactors,
  type SecondFactorReset,
  secondFactorsOf,
  type User,
  type UserRepository,
} from "@marg/core/auth";
import type { MargConfig } from "@marg/core/config";
import { MargError } from "@marg/core/errors";
import { createLogger } from "@marg/core/logging";
import {
  createPlatform,
  type Platform,
  type SessionsEndedReason,
  sessionsEndedJob,
} from "@marg/core/platform";
import {
  AccessChangePolicy,
  type AccessPolicyTables,
  RbacRepository,
  type RbacService,
  type RbacTables,
  SUPER_ADMIN_ROLE,
} from "@marg/core/rbac";
import { SessionDirectory } from "@marg/core/session";
import type { Kysely } from "kysely";
import type { CliContext } from "../cli-context.js";

// Loaded by withUsers when a user:* command runs, so declaring the commands loads none of it.

/** One row of `marg user:list`. */
export interface UserListing {
  readonly user: User;
  readonly roles: readonly string[];
  /** An authenticator app or a passkey: either makes sign-in ask for a second step. */
  readonly twoFactor: boolean;
}

/** What a user:* command works with: the platform's own services, so the CLI does what the apps do. */
export interface UserCommandContext {
  readonly config: MargConfig;
  /** Production argon2 parameters (the platform's hasher). */
  readonly users: UserRepository;
  readonly rbac: RbacService;
  readonly events: AccountEventLog;
  readonly superAdminRole: string;
  /** The user with this address, or E_RBAC_UNKNOWN_USER (exit 1). */
  find(email: string): Promise<User>;
  roleNames(): Promise<string[]>;
  isLastActiveSuperAdmin(userId: number): Promise<boolean>;
  /** Ends every session of the user on the configured store (database or Redis). */
  endSessions(userId: number): Promise<number>;
  /**
   * Queues `session.ended` (every session of the user) so the apps' `onSessionsEnded`
   * hooks run; false, with the sessions still ended, when the queue refused it.
   */
  announceSessionsEnded(userId: number, reason: SessionsEndedReason): Promise<boolean>;
  revokeTokens(userId: number): Promise<number>;
  /** Removes the user's authenticator app, recovery codes and passkeys. */
  resetTwoFactor(userId: number): Promise<SecondFactorReset>;
  list(filter: "all" | "disabled"): Promise<UserListing[]>;
  close(): Promise<void>;
}

export async function openUserCommandContext(ctx: CliContext): Promise<UserCommandContext> {
  const config = ctx.config();
  const logger = createLogger({ app: config.app, log: { level: "silent" } });
  const platform: Platform = await createPlatform(config, {
    logger,
    // Only under QUEUE_CONNECTION=sync, which runs `session.ended` (and the apps' hooks) right here.
    jobs: async (built) => {
      const { collectWorkerJobs, createKernel } = await import("@marg/core/kernel");
      return (await collectWorkerJobs(createKernel({ root: ctx.root, env: ctx.env }), built)).jobs;
    },
  });
  // The RBAC tables are in the same database as the users.
  const rbacDb = platform.rbacDb as unknown as Kysely<AccessPolicyTables>;
  return {
    config,
    users: platform.users,
    rbac: platform.rbac,
    events: platform.accountEvents,
    superAdminRole: SUPER_ADMIN_ROLE,
    async find(email) {
      const user = await platform.users.findByEmail(email);
      if (user === null)
        throw new MargError(
          "E_RBAC_UNKNOWN_USER",
          `No user has the address ${email}; see \`marg user:list\`.`,
          {
            status: 404,
          },
        );
      return user;
    },
    async roleNames() {
      return (await platform.rbac.listRoles()).map((role) => role.name);
    },
    isLastActiveSuperAdmin: (userId) => new AccessChangePolicy(rbacDb).isLastActiveSuperAdmin(userId),
    endSessions: (userId) => new SessionDirectory(platform.sessions).destroyAllForUser(String(userId)),
    async announceSessionsEnded(userId, reason) {
      try {
        await platform.queue.dispatch(sessionsEndedJob, { userId, handles: null, reason });
        return true;
      } catch {
        return false;
      }
    },
    revokeTokens: (userId) => platform.accounts.tokens.revokeAllFor(userId),
    resetTwoFactor: (userId) => resetSecondFactors(platform.accounts, userId),
    async list(filter) {
      const users: User[] = [];
      for (let page = 1; ; page++) {
        const found = await platform.users.list({ page, perPage: 100, status: filter });
        users.push(...found.items);
        if (page >= found.pages) break;
      }
      const grants = await new RbacRepository(rbacDb as unknown as Kysely<RbacTables>).loadGrants(
        users.map((user) => user.id),
      );
      return Promise.all(
        users.map(async (user) => ({
          user,
          roles: grants.get(user.id)?.roles ?? [],
          twoFactor: hasSecondFactor(await secondFactorsOf(platform.accounts, user.id)),
        })),
      );
    },
    close: () => platform.close(),
  };
}
