import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { checkConfigs } from "./config-findings.js";
import { checkHost, diskUsedPercent } from "./host-findings.js";
import { type DoctorFixture, doctorFixture } from "./test-support/doctor-fixture.js";

// The host as doctor sees it: .env files really chmod-ed, the seed's example
// key really in .env.shared, a disk really filled (a small tmpfs mounted for
// the test, when the test may mount one).

const fixtures: DoctorFixture[] = [];
const cleanups: (() => void)[] = [];
afterEach(async () => {
  // Unmount first: the fixture then removes its folder.
  for (const cleanup of cleanups.splice(0)) cleanup();
  for (const fixture of fixtures.splice(0)) await fixture.close();
});

async function fixture(options: Parameters<typeof doctorFixture>[0]) {
  const made = await doctorFixture(options);
  fixtures.push(made);
  return made;
}

const SEED_KEY = "base64:hnAiCHfq9WAEXzFxP0/q/SteYkgSOdZBEmgWdkOhm+Y=";

/** Mounts a 1 MiB tmpfs (root only); undefined when this machine does not allow it. */
function smallDisk(folder: string): string | undefined {
  mkdirSync(folder, { recursive: true });
  try {
    execFileSync("mount", ["-t", "tmpfs", "-o", "size=1m", "tmpfs", folder], { stdio: "ignore" });
  } catch {
    return undefined;
  }
  cleanups.push(() => execFileSync("umount", ["-l", folder], { stdio: "ignore" }));
  return folder;
}

function fillTo(folder: string, percent: number): void {
  let n = 0;
  while (diskUsedPercent(folder) < percent)
    writeFileSync(path.join(folder, `fill-${n++}`), Buffer.alloc(32 * 1024));
}

describe("doctor: host", () => {
  it("fails a world-readable .env file, warns about a group-readable one, is ok at 600", async () => {
    const doctor = await fixture({
      apps: { flow: { APP_NAME: "Flow" }, links: {} },
      prepare: (root) => {
        chmodSync(path.join(root, ".env.shared"), 0o644);
        chmodSync(path.join(root, "apps", "flow", ".env"), 0o640);
      },
    });
    await doctor.run(checkHost);
    expect(doctor.finding("host.env-permissions..env.shared")).toMatchObject({
      level: "fail",
      message: expect.stringContaining("mode 644"),
      fix: "chmod 600 .env.shared (and chown it to the user MARG runs as)",
    });
    expect(doctor.finding(`host.env-permissions.${path.join("apps", "flow", ".env")}`).level).toBe("warn");
    chmodSync(path.join(doctor.root, ".env.shared"), 0o600);
    await doctor.run(checkHost);
    expect(doctor.finding("host.env-permissions..env.shared").level).toBe("ok");
  });

  it("fails the example APP_KEY printed in the seed guide", async () => {
    const doctor = await fixture({ shared: { APP_KEY: SEED_KEY } });
    await doctor.run(checkHost);
    expect(doctor.finding("host.example-app-key")).toMatchObject({
      level: "fail",
      fix: expect.stringContaining("marg key:generate --force"),
    });
    expect(doctor.finding("host.example-app-key").message).not.toContain("hnAiCHfq9WAE");
  });

  it("warns past 85% disk use and fails past 95%", async (context) => {
    let disk: string | undefined;
    const doctor = await fixture({
      prepare: (root) => {
        disk = smallDisk(path.join(root, "storage"));
      },
    });
    if (disk === undefined) return context.skip("mounting a tmpfs needs root");
    fillTo(disk, 90);
    await doctor.run(checkHost);
    expect(doctor.finding("host.disk.storage")).toMatchObject({
      level: "warn",
      message: expect.stringContaining("% full"),
    });
    fillTo(disk, 97);
    await doctor.run(checkHost);
    expect(doctor.finding("host.disk.storage").level).toBe("fail");
  });

  it("fails an app whose configuration does not load, with the reason", async () => {
    const doctor = await fixture({ apps: { flow: {}, links: { SESSION_LIFETIME: "soon" } } });
    await doctor.run(checkConfigs);
    expect(doctor.finding("config.flow").level).toBe("ok");
    expect(doctor.finding("config.links")).toMatchObject({
      level: "fail",
      message: expect.stringContaining("SESSION_LIFETIME"),
    });
  });
});
