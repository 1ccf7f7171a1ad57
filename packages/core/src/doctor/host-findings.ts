import { existsSync, readdirSync, statfsSync, statSync } from "node:fs";
import path from "node:path";
import {
  type DoctorCheck,
  type DoctorContext,
  type Finding,
  fail,
  loadedConfigs,
  ok,
  warn,
} from "./types.js";

/** The seed's disk alert (85%), and the point where writes start failing soon. */
export const DISK_WARN_PERCENT = 85;
export const DISK_FAIL_PERCENT = 95;

/** Used space as `df` computes it: what is used over what a normal user could use. */
export function diskUsedPercent(folder: string): number {
  const stats = statfsSync(folder);
  const used = stats.blocks - stats.bfree;
  const usable = used + stats.bavail;
  return usable === 0 ? 0 : Math.ceil((used / usable) * 100);
}

function checkDisk(ctx: DoctorContext): Finding[] {
  const folders = [ctx.installation.storage.path, ctx.installation.app.root].filter((folder) =>
    existsSync(folder),
  );
  const seen = new Set<number>();
  const findings: Finding[] = [];
  for (const folder of folders) {
    const device = statSync(folder).dev;
    if (seen.has(device)) continue;
    seen.add(device);
    const percent = diskUsedPercent(folder);
    const id = `host.disk.${folders.indexOf(folder) === 0 ? "storage" : "root"}`;
    const fix =
      "Free space: old logs (journalctl --vacuum-size), backups under /var/backups/marg, storage/mail; or grow the disk";
    if (percent > DISK_FAIL_PERCENT) findings.push(fail(id, `disk of ${folder} is ${percent}% full`, fix));
    else if (percent > DISK_WARN_PERCENT)
      findings.push(warn(id, `disk of ${folder} is ${percent}% full (alert at ${DISK_WARN_PERCENT}%)`, fix));
    else findings.push(ok(id, `disk of ${folder} is ${percent}% full`));
  }
  return findings;
}

/** .env.shared and every apps/<app>/.env: they hold APP_KEY and the passwords. */
export function envFiles(root: string): string[] {
  const files = [path.join(root, ".env.shared"), path.join(root, ".env")];
  const apps = path.join(root, "apps");
  if (existsSync(apps)) {
    for (const app of readdirSync(apps)) files.push(path.join(apps, app, ".env"));
  }
  return files.filter((file) => existsSync(file));
}

function checkEnvPermissions(ctx: DoctorContext): Finding[] {
  const root = ctx.installation.app.root;
  const findings = envFiles(root).map((file) => {
    const mode = statSync(file).mode & 0o777;
    const shown = path.relative(root, file);
    const octal = mode.toString(8).padStart(3, "0");
    const fix = `chmod 600 ${shown} (and chown it to the user MARG runs as)`;
    if (mode & 0o007)
      return fail(
        `host.env-permissions.${shown}`,
        `${shown} is readable by every user on the server (mode ${octal}); it holds APP_KEY and passwords`,
        fix,
      );
    if (mode & 0o070)
      return warn(
        `host.env-permissions.${shown}`,
        `${shown} is readable by its group (mode ${octal}); the seed wants 600`,
        fix,
      );
    return ok(`host.env-permissions.${shown}`, `${shown} is mode ${octal}`);
  });
  return findings.length > 0
    ? findings
    : [ok("host.env-permissions", "no .env files (configuration comes from the environment)")];
}

function checkExampleKey(ctx: DoctorContext): Finding {
  const apps = loadedConfigs(ctx).filter(({ config }) => config.app.usesExampleKey);
  const installation = ctx.installation.app.usesExampleKey;
  if (!installation && apps.length === 0)
    return ok("host.example-app-key", "APP_KEY is not the seed's example key");
  const where = installation ? ".env.shared" : apps.map(({ id }) => id).join(", ");
  return fail(
    "host.example-app-key",
    `APP_KEY is the example key printed in the seed guide (${where}): anyone can decrypt sessions and forge cookies`,
    "Run `marg key:generate --force` (signs everyone out) and copy the new .env.shared to every server",
  );
}

/** The host: disk, .env permissions, the example APP_KEY. */
export const checkHost: DoctorCheck = async (ctx) => [
  ...checkDisk(ctx),
  ...checkEnvPermissions(ctx),
  checkExampleKey(ctx),
];
