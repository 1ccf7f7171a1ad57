import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";

const LINE = /^(marg_backup_[a-z_]+)\{kind="([a-z]+)"\} (\S+)$/;

/**
 * Records a backup run for node_exporter's textfile collector (cron jobs have
 * no /metrics of their own): `marg_backup_failures_total{kind}`,
 * `marg_backup_last_success_timestamp_seconds{kind}` and
 * `marg_backup_last_run_ok{kind}`. Alert on the last success growing old.
 * Written to a temp file and renamed, so a scrape never sees half a file.
 */
export function recordBackupMetric(file: string, kind: string, ok: boolean, now = new Date()): void {
  const values = new Map<string, number>();
  if (existsSync(file)) {
    for (const line of readFileSync(file, "utf8").split("\n")) {
      const match = LINE.exec(line);
      if (match !== null) values.set(`${match[1]}|${match[2]}`, Number(match[3]));
    }
  }
  const key = (name: string) => `${name}|${kind}`;
  values.set(key("marg_backup_last_run_ok"), ok ? 1 : 0);
  values.set(
    key("marg_backup_failures_total"),
    (values.get(key("marg_backup_failures_total")) ?? 0) + (ok ? 0 : 1),
  );
  if (ok) values.set(key("marg_backup_last_success_timestamp_seconds"), Math.floor(now.getTime() / 1000));
  const byName = new Map<string, string[]>();
  for (const [entry, value] of [...values].sort()) {
    const [name, entryKind] = entry.split("|");
    if (name === undefined) continue;
    byName.set(name, [...(byName.get(name) ?? []), `${name}{kind="${entryKind}"} ${value}`]);
  }
  const text = [...byName]
    .map(([name, lines]) => {
      const type = name.endsWith("_total") ? "counter" : "gauge";
      return [`# TYPE ${name} ${type}`, ...lines].join("\n");
    })
    .join("\n");
  writeFileSync(`${file}.tmp`, `${text}\n`);
  renameSync(`${file}.tmp`, file);
}
