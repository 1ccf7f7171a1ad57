import { readdirSync, rmSync } from "node:fs";
import path from "node:path";
import { parseBackupName } from "./backup-name.js";

/** How long backups are kept: every one for `keepDays`, plus the newest of each recent week and month. */
export interface RetentionPolicy {
  /** The seed's 7 days. */
  readonly keepDays: number;
  /** Also keep the newest backup of each of the last N ISO weeks (0: none). */
  readonly keepWeekly?: number;
  /** Also keep the newest backup of each of the last N calendar months (0: none). */
  readonly keepMonthly?: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { keepDays: 7, keepWeekly: 0, keepMonthly: 0 };

const DAY = 86_400_000;

/** Monday 00:00 UTC of the date's week, as a key. */
function weekKey(date: Date): string {
  const monday = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate()));
  monday.setUTCDate(monday.getUTCDate() - ((monday.getUTCDay() + 6) % 7));
  return monday.toISOString().slice(0, 10);
}

const monthKey = (date: Date) => date.toISOString().slice(0, 7);

function monthsBetween(from: Date, to: Date): number {
  return (to.getUTCFullYear() - from.getUTCFullYear()) * 12 + to.getUTCMonth() - from.getUTCMonth();
}

/**
 * Deletes the backups in `dir` that fall outside the policy, with their
 * manifest and checksum. Only names `marg backup:*` writes are considered;
 * each kind + label is its own series; anything else in the folder is left alone.
 * Returns the deleted paths.
 */
export function applyRetention(dir: string, policy: RetentionPolicy, now = new Date()): string[] {
  const entries = readdirSync(dir)
    .map((name) => ({ name, parsed: parseBackupName(name) }))
    .filter((entry) => entry.parsed !== undefined && !/\.(manifest\.json|sha256|partial)$/.test(entry.name));
  const keep = new Set<string>();
  const series = new Map<string, typeof entries>();
  for (const entry of entries) {
    const parsed = entry.parsed;
    if (parsed === undefined) continue;
    const key = `${parsed.kind}/${parsed.label}/${parsed.extension}`;
    series.set(key, [...(series.get(key) ?? []), entry]);
    if (now.getTime() - parsed.date.getTime() <= policy.keepDays * DAY) keep.add(entry.name);
  }
  for (const list of series.values()) {
    const newestFirst = [...list].sort(
      (a, b) => (b.parsed?.date.getTime() ?? 0) - (a.parsed?.date.getTime() ?? 0),
    );
    const weeks = new Set<string>();
    const months = new Set<string>();
    for (const entry of newestFirst) {
      const date = entry.parsed?.date;
      if (date === undefined) continue;
      const week = weekKey(date);
      if (
        (now.getTime() - new Date(week).getTime()) / (7 * DAY) < (policy.keepWeekly ?? 0) &&
        !weeks.has(week)
      ) {
        weeks.add(week);
        keep.add(entry.name);
      }
      const month = monthKey(date);
      if (monthsBetween(date, now) < (policy.keepMonthly ?? 0) && !months.has(month)) {
        months.add(month);
        keep.add(entry.name);
      }
    }
  }
  const deleted: string[] = [];
  for (const { name } of entries) {
    if (keep.has(name)) continue;
    for (const doomed of [name, `${name}.manifest.json`, `${name}.sha256`]) {
      const full = path.join(dir, doomed);
      rmSync(full, { recursive: true, force: true });
      deleted.push(full);
    }
  }
  return deleted.filter((file) => !file.endsWith(".sha256") && !file.endsWith(".manifest.json"));
}
