/**
 * Memory sizes as people write them in an inventory (`512M`, `1G`, `2GB`,
 * `1.5G`), in whole megabytes, and back to the spelling each server expects.
 */
const SIZE_PATTERN = /^(\d+(?:\.\d+)?)\s*([MG])B?$/i;

/** Megabytes in `raw`, or undefined when it is not a size. */
export function parseMegabytes(raw: string): number | undefined {
  const match = SIZE_PATTERN.exec(raw.trim());
  if (match?.[1] === undefined || match[2] === undefined) return undefined;
  const value = Number(match[1]) * (match[2].toUpperCase() === "G" ? 1024 : 1);
  return Number.isFinite(value) && value >= 1 ? Math.floor(value) : undefined;
}

/** Redis's spelling: `384mb`. */
export function redisSize(megabytes: number): string {
  return `${Math.max(1, Math.floor(megabytes))}mb`;
}

/** MySQL's spelling: `1G` when whole gigabytes, else `768M`. */
export function mysqlSize(megabytes: number): string {
  const mb = Math.max(1, Math.floor(megabytes));
  return mb % 1024 === 0 ? `${mb / 1024}G` : `${mb}M`;
}
