import type { Fleet } from "../fleet/fleet.js";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import type { RenderedFile } from "./types.js";

/** Modes used by the renderers. */
export const MODE = { config: 0o644, secret: 0o600, script: 0o755 } as const;

/**
 * The first lines of every rendered file, in that file's comment syntax: what
 * made it and that hand edits are lost on the next render.
 */
export function header(fleet: Fleet, what: string, comment = "#"): string {
  const { inventory } = fleet;
  return [
    `${comment} ${what}`,
    `${comment} Rendered by \`marg infra:render\` for fleet "${inventory.name}" (phase ${inventory.phase}).`,
    `${comment} Edit the inventory and render again; changes made here are lost.`,
  ].join("\n");
}

/** Joins lines, dropping `false`/`undefined` ones, with a final newline. */
export function lines(...parts: (string | false | undefined | readonly string[])[]): string {
  const out: string[] = [];
  for (const part of parts) {
    if (part === false || part === undefined) continue;
    if (typeof part === "string") out.push(part);
    else out.push(...part);
  }
  return `${out.join("\n")}\n`;
}

/** A file for `server` at an absolute path on that server (`/etc/redis/redis.conf`). */
export function serverFile(
  server: InventoryServer,
  absolutePath: string,
  content: string,
  mode: number,
  owner?: string,
): RenderedFile {
  return { path: `${server.name}${absolutePath}`, content, mode, ...(owner === undefined ? {} : { owner }) };
}

/** The absolute path a rendered file goes to on its server. */
export function targetPath(file: RenderedFile): string {
  return file.path.slice(file.path.indexOf("/"));
}

/** Single-quotes a value for bash. */
export function shellQuote(value: string): string {
  return `'${value.replaceAll("'", `'\\''`)}'`;
}
