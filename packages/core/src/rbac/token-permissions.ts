import { compilePermissionPattern } from "./permission-pattern.js";
import type { RbacDecision } from "./types.js";
import { UserPermissions } from "./user-permissions.js";

/**
 * What a request made with a personal API token may do: what its holder's RBAC
 * permissions allow AND what one of the token's permission patterns covers. A token
 * is a narrowed copy of its holder, never a wider one: a revoked role takes its
 * permissions from every token at once, and a token cannot hold what the holder lost.
 * Role checks (`hasRole`, and `superAdmin` for code that reads it) pass only for a
 * token carrying `*`, the holder's whole power: a role stands for more than any list.
 *
 * @example
 * const perms = new TokenPermissions(await rbac.permissionsFor(holderId), ["tasks.view"]);
 * perms.can("tasks.view"); // true if the holder may; perms.can("tasks.update") is false
 */
export class TokenPermissions extends UserPermissions {
  /** The token's own patterns, as it was created with them. */
  readonly tokenPermissions: readonly string[];
  override readonly superAdmin: boolean;
  readonly #holder: UserPermissions;
  readonly #covers: ReadonlyArray<(checked: string) => boolean>;
  readonly #whole: boolean;

  constructor(holder: UserPermissions, tokenPermissions: readonly string[]) {
    super(holder.source, holder.app);
    // Checks go to the holder's set (the base class's answers would see the narrowed superAdmin).
    this.#holder = holder;
    this.tokenPermissions = tokenPermissions;
    this.#whole = tokenPermissions.includes("*");
    this.#covers = tokenPermissions.map(compilePermissionPattern);
    this.superAdmin = holder.superAdmin && this.#whole;
  }

  #tokenCovers(permission: string): boolean {
    return this.#covers.some((covers) => covers(permission));
  }

  override can(permission: string): boolean {
    return this.#tokenCovers(permission) && this.#holder.can(permission);
  }

  override canIn(app: string, permission: string): boolean {
    return this.#tokenCovers(permission) && this.#holder.canIn(app, permission);
  }

  override hasRole(role: string, options: { exact?: boolean } = {}): boolean {
    return this.#whole && this.#holder.hasRole(role, options);
  }

  override decide(permission: string): RbacDecision {
    if (this.#tokenCovers(permission)) return this.#holder.decide(permission);
    return { allowed: false, reason: "no-grant", roles: [...this.roles] };
  }
}
