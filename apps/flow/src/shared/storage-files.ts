import { randomBytes } from "node:crypto";
import { createWriteStream } from "node:fs";
import { mkdir, rename, rm } from "node:fs/promises";
import path from "node:path";
import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";

/** 32 hex characters: file names nobody can guess or choose. */
export function randomName(): string {
  return randomBytes(16).toString("hex");
}

/**
 * The absolute path of `key` (relative to STORAGE_PATH), refusing any key that
 * would leave the storage folder, whatever it contains.
 */
export function resolveStorageKey(storageRoot: string, key: string): string {
  const root = path.resolve(storageRoot);
  const resolved = path.resolve(root, key);
  if (!resolved.startsWith(`${root}${path.sep}`))
    throw new Error(`storage key ${JSON.stringify(key)} leaves the storage folder`);
  return resolved;
}

export interface ReceivedFile {
  /** Absolute path of the temporary file; move it with `keep` or delete it with `discard`. */
  readonly tempPath: string;
  readonly size: number;
  /** The first bytes (up to 8 KB), for sniffing the type. */
  readonly head: Buffer;
  /** True when the stream was cut at the size limit (the file is then incomplete). */
  readonly truncated: boolean;
}

/**
 * Streams an upload into a temp file inside `folder` (so the final rename
 * stays on one file system), keeping its first bytes for type sniffing.
 * The stream is always read to its end, so the request never hangs.
 */
export async function receiveToTempFile(
  stream: Readable & { truncated?: boolean },
  folder: string,
): Promise<ReceivedFile> {
  await mkdir(folder, { recursive: true });
  const tempPath = path.join(folder, `.upload-${randomName()}`);
  const chunks: Buffer[] = [];
  let headSize = 0;
  let size = 0;
  stream.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (headSize < 8192) {
      chunks.push(chunk);
      headSize += chunk.length;
    }
  });
  try {
    await pipeline(stream, createWriteStream(tempPath));
  } catch (error) {
    await rm(tempPath, { force: true });
    throw error;
  }
  return {
    tempPath,
    size,
    head: Buffer.concat(chunks).subarray(0, 8192),
    truncated: stream.truncated === true,
  };
}

/** Moves a received file to its final place under STORAGE_PATH. */
export async function keepFile(tempPath: string, storageRoot: string, key: string): Promise<void> {
  const target = resolveStorageKey(storageRoot, key);
  await mkdir(path.dirname(target), { recursive: true });
  await rename(tempPath, target);
}

export async function discardFile(absolutePath: string): Promise<void> {
  await rm(absolutePath, { force: true });
}
