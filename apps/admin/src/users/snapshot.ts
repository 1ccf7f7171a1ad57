import type { User } from "@marg/core/auth";

/** What the audit log and the JSON API show of a user: never the password hash. */
export interface UserSnapshot {
  readonly id: number;
  readonly name: string;
  readonly email: string;
  readonly disabled: boolean;
  readonly disabledAt: number | null;
  readonly lastLoginAt: number | null;
  readonly createdAt: number;
}

export function userSnapshot(user: User): UserSnapshot {
  return {
    id: user.id,
    name: user.name,
    email: user.email,
    disabled: user.disabledAt !== null,
    disabledAt: user.disabledAt,
    lastLoginAt: user.lastLoginAt,
    createdAt: user.createdAt,
  };
}
