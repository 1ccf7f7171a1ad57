import { randomFillSync } from "node:crypto";

const POOL_BYTES = 4096;
const pool = Buffer.alloc(POOL_BYTES);
let offset = POOL_BYTES;

/**
 * `randomBytes(size)` for small sizes, drawn from a 4 KiB buffer the CSPRNG refills
 * when it runs out: the same bytes from the same source, each handed out once, but
 * one call into OpenSSL per 4 KiB instead of one per session id or CSRF token (Node
 * does the same for `randomUUID`). The result is a copy, never a view of the pool.
 */
export function randomBytesPooled(size: number): Buffer {
  if (!Number.isInteger(size) || size < 1 || size > POOL_BYTES) {
    throw new RangeError(`randomBytesPooled takes 1 to ${POOL_BYTES} bytes, not ${size}`);
  }
  if (offset + size > POOL_BYTES) {
    randomFillSync(pool);
    offset = 0;
  }
  const bytes = Buffer.from(pool.subarray(offset, offset + size));
  // The bytes handed out are wiped from the pool, so a later dump of it cannot reveal them.
  pool.fill(0, offset, offset + size);
  offset += size;
  return bytes;
}
