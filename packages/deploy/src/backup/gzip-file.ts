import { createHash } from "node:crypto";
import { createReadStream, createWriteStream } from "node:fs";
import { Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import { createGunzip, createGzip } from "node:zlib";

/** Gzips `from` into `to` (mode 600) and returns the sha256 of the gzipped bytes. */
export async function gzipFile(from: string, to: string): Promise<string> {
  const hash = createHash("sha256");
  const hasher = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  await pipeline(createReadStream(from), createGzip(), hasher, createWriteStream(to, { mode: 0o600 }));
  return hash.digest("hex");
}

/** Gunzips `from` into `to` (mode 600). */
export async function gunzipFile(from: string, to: string): Promise<void> {
  await pipeline(createReadStream(from), createGunzip(), createWriteStream(to, { mode: 0o600 }));
}
