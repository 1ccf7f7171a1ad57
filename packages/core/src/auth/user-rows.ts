import type { Selectable } from "kysely";
import type { UsersTable } from "./auth-schema.js";
import type { User } from "./types.js";

/** Every column of `users` except the password hash: what a plain `User` is read from. */
export const USER_COLUMNS = [
  "id",
  "email",
  "name",
  "avatar_path",
  "disabled_at",
  "last_login_at",
  "password_changed_at",
  "created_at",
  "updated_at",
] as const;

export type UserRow = Pick<Selectable<UsersTable>, (typeof USER_COLUMNS)[number]>;

// mysql2 may hand BIGINTs back as strings (bigNumberStrings); Number() reads both forms.
const nullableNumber = (value: number | null): number | null => (value === null ? null : Number(value));

/** A database row as the `User` the rest of MARG sees. */
export function toUser(row: UserRow): User {
  return Object.freeze({
    id: Number(row.id),
    email: row.email,
    name: row.name,
    avatarPath: row.avatar_path,
    disabledAt: nullableNumber(row.disabled_at),
    lastLoginAt: nullableNumber(row.last_login_at),
    passwordChangedAt: Number(row.password_changed_at),
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  });
}

/** True for a unique-index violation on SQLite or MySQL/MariaDB. */
export function isUniqueViolation(error: unknown): boolean {
  if (typeof error !== "object" || error === null) return false;
  const { code, errno } = error as { code?: unknown; errno?: unknown };
  return code === "SQLITE_CONSTRAINT_UNIQUE" || code === "ER_DUP_ENTRY" || errno === 1062;
}

/** Escapes LIKE wildcards with `!`, an escape character both SQLite and MySQL accept as written. */
export function likeContains(text: string): string {
  return `%${text.replace(/[!%_]/g, (c) => `!${c}`)}%`;
}
