import { SUPER_ADMIN_ROLE } from "./names.js";
import { compilePermissionPattern } from "./permission-pattern.js";
import type { EffectivePermissions, PermissionGrant, RbacDecision } from "./types.js";

interface CompiledGrant {
  readonly grant: PermissionGrant;
  readonly covers: (checked: string) => boolean;
}

/**
 * One user's effective permissions, compiled for answering checks without I/O.
 * This is what the in-process cache holds and what views get: `perms.can("tasks.update")`
 * is synchronous, so a template never queries.
 *
 * @example
 * const perms = await rbac.permissionsFor(userId);
 * if (perms.can("links.delete")) showDeleteButton();
 */
export class UserPermissions {
  readonly userId: number;
  readonly roles: ReadonlySet<string>;
  readonly superAdmin: boolean;
  readonly source: EffectivePermissions;
  /** The app whose checks this answers; grants scoped to another app do not count. */
  readonly app: string | undefined;
  readonly #exact = new Map<string, PermissionGrant[]>();
  readonly #wildcards: CompiledGrant[] = [];

  constructor(source: EffectivePermissions, app?: string) {
    this.source = source;
    this.userId = source.userId;
    this.app = app;
    this.roles = new Set(source.roles);
    this.superAdmin = this.roles.has(SUPER_ADMIN_ROLE);
    for (const grant of source.grants) {
      if (grant.permission.includes("*")) {
        this.#wildcards.push({ grant, covers: compilePermissionPattern(grant.permission) });
      } else {
        const list = this.#exact.get(grant.permission);
        if (list === undefined) this.#exact.set(grant.permission, [grant]);
        else list.push(grant);
      }
    }
  }

  /** True when the user may do `permission` (a concrete name such as `tasks.update`). */
  can(permission: string): boolean {
    return this.#allows(permission, this.app);
  }

  /**
   * True when the user may do `permission` in `app`, as that app's own check would
   * answer: grants scoped to `app` count there even when this set serves another
   * (the app switcher asks whether admin would let the user in).
   */
  canIn(app: string, permission: string): boolean {
    return this.#allows(permission, app);
  }

  /**
   * True when the user has `role`. The super-admin passes this too, as it passes
   * every check; ask with `{ exact: true }` to know whether the role is assigned.
   */
  hasRole(role: string, options: { exact?: boolean } = {}): boolean {
    return this.roles.has(role) || (options.exact !== true && this.superAdmin);
  }

  /** The answer to a check and the reason: super-admin, which role grants what, or a direct grant. */
  decide(permission: string): RbacDecision {
    return this.#decide(permission, this.app);
  }

  // What `#decide(…).allowed` says, without building a decision or a closure: guards
  // and every page's navigation ask it (under tsx, each named closure costs a defineProperty).
  #allows(permission: string, app: string | undefined): boolean {
    if (this.superAdmin) return true;
    for (const grant of this.#exact.get(permission) ?? []) {
      if (app === undefined || grant.app === null || grant.app === app) return true;
    }
    for (const { grant, covers } of this.#wildcards) {
      if ((app === undefined || grant.app === null || grant.app === app) && covers(permission)) return true;
    }
    return false;
  }

  #decide(permission: string, app: string | undefined): RbacDecision {
    if (this.superAdmin) return { allowed: true, reason: "super-admin", role: SUPER_ADMIN_ROLE };
    let otherApp = false;
    const pick = (grant: PermissionGrant): RbacDecision | undefined => {
      if (app !== undefined && grant.app !== null && grant.app !== app) {
        otherApp = true;
        return undefined;
      }
      return grant.role === null
        ? { allowed: true, reason: "direct", granted: grant.permission }
        : { allowed: true, reason: "role", role: grant.role, granted: grant.permission };
    };
    // Exact grants first, then wildcards, so the reason names the most specific grant.
    for (const grant of this.#exact.get(permission) ?? []) {
      const decision = pick(grant);
      if (decision !== undefined) return decision;
    }
    for (const { grant, covers } of this.#wildcards) {
      if (!covers(permission)) continue;
      const decision = pick(grant);
      if (decision !== undefined) return decision;
    }
    return { allowed: false, reason: otherApp ? "other-app" : "no-grant", roles: [...this.roles] };
  }
}

/** One sentence for a decision, as `rbac:check` prints it after yes/no. */
export function describeDecision(decision: RbacDecision, permission: string, app?: string): string {
  switch (decision.reason) {
    case "super-admin":
      return `role '${decision.role}' passes every check`;
    case "role":
      return decision.granted === permission
        ? `role '${decision.role}' grants '${permission}'`
        : `role '${decision.role}' grants '${decision.granted}', which covers '${permission}'`;
    case "direct":
      return decision.granted === permission
        ? `'${permission}' is granted to the user directly`
        : `'${decision.granted}' is granted to the user directly and covers '${permission}'`;
    case "other-app":
      return `a grant matches '${permission}', but its permission is scoped to another app than '${app ?? "?"}'`;
    case "no-grant":
      return decision.roles.length === 0
        ? `the user has no roles and no direct grant covers '${permission}'`
        : `none of the user's roles (${decision.roles.join(", ")}) nor a direct grant covers '${permission}'`;
  }
}
