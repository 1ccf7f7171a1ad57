import { Transform, type TransformCallback } from "node:stream";
import type { ManifestDatabase } from "./types.js";

const NAME = "`((?:[^`]|``)+)`";
const USE = new RegExp(`^USE ${NAME};`);
const CREATE_DATABASE = new RegExp(`^CREATE DATABASE .*${NAME}`);
const CREATE_TABLE = new RegExp(`^CREATE TABLE ${NAME} \\(`);
const INSERT = new RegExp(`^INSERT INTO ${NAME} VALUES `);
const unquote = (name: string) => name.replaceAll("``", "`");

/**
 * Splits a byte stream into lines and hands each (without its newline) to
 * `onLine`, passing the bytes through unchanged. mysqldump escapes newlines
 * inside values, so with --skip-extended-insert one line is one row.
 */
abstract class LineTransform extends Transform {
  private rest = "";
  protected abstract onLine(line: string): string | undefined;

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    const text = this.rest + chunk.toString("utf8");
    const lines = text.split("\n");
    this.rest = lines.pop() ?? "";
    this.emitLines(lines);
    callback();
  }

  override _flush(callback: TransformCallback): void {
    if (this.rest !== "") this.emitLines([this.rest]);
    callback();
  }

  private emitLines(lines: string[]): void {
    const kept: string[] = [];
    for (const line of lines) {
      const out = this.onLine(line);
      if (out !== undefined) kept.push(`${out}\n`);
    }
    if (kept.length > 0) this.push(kept.join(""));
  }
}

/** Counts the rows of each table, per database, as the dump passes by: the manifest's numbers are the dump's. */
export class DumpRowCounter extends LineTransform {
  private readonly databases = new Map<string, Record<string, number>>();
  private current: Record<string, number> | undefined;

  protected onLine(line: string): string {
    const use = USE.exec(line);
    if (use !== null) {
      const name = unquote(use[1] ?? "");
      this.current = this.databases.get(name) ?? {};
      this.databases.set(name, this.current);
    } else if (this.current !== undefined) {
      const create = CREATE_TABLE.exec(line);
      if (create !== null) this.current[unquote(create[1] ?? "")] ??= 0;
      const insert = INSERT.exec(line);
      if (insert !== null) {
        const table = unquote(insert[1] ?? "");
        this.current[table] = (this.current[table] ?? 0) + 1;
      }
    }
    return line;
  }

  result(): ManifestDatabase[] {
    return [...this.databases].map(([name, tables]) => ({ name, tables: { ...tables } }));
  }
}

/**
 * Keeps only one database's part of a multi-database dump, without its
 * CREATE DATABASE and USE lines, so it restores into whatever database the
 * client is connected to. The dump's header (session settings) is kept.
 */
export class DumpDatabaseFilter extends LineTransform {
  private inside: string | undefined;
  private seenAny = false;

  constructor(private readonly database: string) {
    super();
  }

  protected onLine(line: string): string | undefined {
    if (line.startsWith("-- Current Database: ")) {
      this.seenAny = true;
      const match = new RegExp(NAME).exec(line);
      this.inside = match === null ? undefined : unquote(match[1] ?? "");
      return undefined;
    }
    if (CREATE_DATABASE.test(line) || USE.test(line)) return undefined;
    if (!this.seenAny || this.inside === this.database) return line;
    return undefined;
  }
}
