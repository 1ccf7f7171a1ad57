import { describe, expect, it } from "vitest";
import { completeSecrets } from "../secrets/fleet-secrets.js";
import { EXAMPLES, loadExample, renderExample } from "../testing/example-fleets.js";
import { renderFleet } from "./render-fleet.js";

describe("rendering a whole fleet", () => {
  for (const name of EXAMPLES) {
    it(`renders ${name}: an install.sh and a firewall per networked server, README.txt and secrets.env`, () => {
      const { fleet, files } = renderExample(name);
      expect(files[0]?.path).toBe("README.txt");
      expect(files[1]).toMatchObject({ path: "secrets.env", mode: 0o600 });
      for (const server of fleet.servers) {
        expect(files.some((file) => file.path === `${server.name}/install.sh`)).toBe(true);
        const firewalled = files.some((file) => file.path === `${server.name}/usr/local/sbin/marg-ufw`);
        expect(firewalled).toBe(!server.address.startsWith("127."));
      }
      const readme = files[0]?.content ?? "";
      for (const file of files.slice(2)) expect(readme).toContain(file.path.slice(file.path.indexOf("/")));
    });
  }

  it("gives the same files for the same inventory and secrets", () => {
    const { fleet } = loadExample("phase4-ha");
    const { secrets } = completeSecrets();
    expect(renderFleet(fleet, secrets)).toEqual(renderFleet(fleet, secrets));
  });

  it("keeps every secret out of files that are not owner-only", () => {
    const { files, secrets } = renderExample("phase4-ha");
    const open = files.filter((file) => file.mode !== 0o600);
    for (const value of Object.values(secrets)) {
      for (const file of open) expect(file.content, file.path).not.toContain(value);
    }
  });

  it("installs each file with its owner and mode, keeping files Sentinel has rewritten", () => {
    const { content } = renderExample("phase4-ha");
    const install = content("redis-2/install.sh");
    expect(install).toContain("keep /etc/redis/redis.conf redis redis 600");
    expect(install).toContain("keep /etc/redis/sentinel.conf redis redis 600");
    expect(content("http-1/install.sh")).toContain("put /srv/marg/.env.shared marg marg 600");
    expect(content("http-1/install.sh")).toContain("chmod -R u=rwX,g=rX,o= /srv/marg/storage");
    expect(content("http-1/install.sh")).not.toMatch(/^chmod -R 755/m);
  });
});
