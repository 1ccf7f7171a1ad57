import { MargError } from "../errors/marg-error.js";

/** Edit distance, for "did you mean" hints on mistyped names. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + cost);
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** Up to five known names close to `name`: a small edit away, or in the same first segment. */
export function similarNames(name: string, known: readonly string[]): string[] {
  const head = name.split(".")[0];
  return known
    .map((candidate) => ({ candidate, d: distance(name, candidate) }))
    .filter(({ candidate, d }) => d <= 2 || (head !== undefined && candidate.split(".")[0] === head))
    .sort((x, y) => x.d - y.d || x.candidate.localeCompare(y.candidate))
    .slice(0, 5)
    .map(({ candidate }) => candidate);
}

export function unknownRole(name: string, known: readonly string[]): MargError {
  const message =
    known.length === 0
      ? `No role '${name}': there are no roles yet. Create one with \`marg rbac:role create ${name}\`, or run \`marg db:seed\`.`
      : `No role '${name}'; roles are: ${known.join(", ")}.`;
  return new MargError("E_RBAC_UNKNOWN_ROLE", message, {
    status: 404,
    details: { role: name, roles: known },
  });
}

export function unknownPermission(name: string, known: readonly string[]): MargError {
  const similar = similarNames(name, known);
  const hint =
    similar.length > 0
      ? ` Did you mean ${similar.join(", ")}?`
      : known.length > 0
        ? ` There are ${known.length} permissions (see \`marg rbac:permission list\`).`
        : " There are no permissions yet.";
  const message = `No permission '${name}'.${hint} To add it, run \`marg rbac:permission create ${name}\`.`;
  return new MargError("E_RBAC_UNKNOWN_PERMISSION", message, {
    status: 404,
    details: { permission: name, similar },
  });
}

export function unknownUser(reference: string): MargError {
  const by = /^\d+$/.test(reference) ? "id" : "email";
  return new MargError(
    "E_RBAC_UNKNOWN_USER",
    `No user with ${by} '${reference}'. Check the ${by}; a user is named by email address or numeric id.`,
    { status: 404, details: { user: reference } },
  );
}

export function alreadyExists(kind: "role" | "permission", name: string): MargError {
  return new MargError("E_RBAC_ALREADY_EXISTS", `A ${kind} named '${name}' already exists.`, {
    status: 409,
    details: { [kind]: name },
  });
}

// Refusals of the access-change policy (access-change-policy.ts).

export function exceedsHolder(what: string, missing: readonly string[]): MargError {
  const list = missing.map((name) => `'${name}'`).join(", ");
  return new MargError(
    "E_RBAC_GRANT_EXCEEDS_HOLDER",
    `You cannot ${what}: it needs ${list}, which you do not hold yourself. You can hand out or take away only what you hold; ask a super-admin.`,
    { status: 403, details: { missing: [...missing] } },
  );
}

export function superAdminRequired(what: string): MargError {
  return new MargError("E_RBAC_SUPER_ADMIN_REQUIRED", `Only a super-admin can ${what}; ask a super-admin.`, {
    status: 403,
  });
}

export function lastSuperAdmin(what: string): MargError {
  return new MargError(
    "E_RBAC_LAST_SUPER_ADMIN",
    `You cannot ${what}: this is the last active super-admin. Make another user super-admin first.`,
    { status: 409 },
  );
}
