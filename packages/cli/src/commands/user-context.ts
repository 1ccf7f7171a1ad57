import type { CliContext } from "../cli-context.js";
import type { UserCommandContext } from "./user-open.js";

export type { UserCommandContext };

/** Runs a user:* command body with the platform open, always closing it. */
export async function withUsers(
  ctx: CliContext,
  body: (users: UserCommandContext) => Promise<number>,
): Promise<number> {
  const { openUserCommandContext } = await import("./user-open.js");
  const opened = await openUserCommandContext(ctx);
  try {
    return await body(opened);
  } finally {
    await opened.close();
  }
}

/** `--role a --role b,c` → [a, b, c], trimmed, without repeats. */
export function parseRoleList(values: readonly string[] | undefined): string[] {
  const names = (values ?? []).flatMap((value) => value.split(",")).map((name) => name.trim());
  return [...new Set(names.filter((name) => name !== ""))];
}
