import { MargError } from "../errors/marg-error.js";

/** Why a guard turned a request away. */
export interface RbacDenial {
  readonly status: 401 | 403;
  readonly code: "E_AUTH_REQUIRED" | "E_RBAC_FORBIDDEN";
  readonly message: string;
  /** What was required: `{ permission: "links.delete" }` or `{ role: "admin" }`. */
  readonly required: { readonly permission?: string; readonly role?: string };
}

/**
 * A guard's denial as a typed error: 401 E_AUTH_REQUIRED for a guest, 403
 * E_RBAC_FORBIDDEN for a user without the permission or role (`details` names it).
 * RBAC renders nothing: the web layer answers it (a sign-in redirect, a page, JSON).
 */
export class RbacDeniedError extends MargError {
  readonly denial: RbacDenial;

  constructor(denial: RbacDenial) {
    super(denial.code, denial.message, { status: denial.status, details: { ...denial.required } });
    this.denial = denial;
  }
}
