import { describe, expect, it } from "vitest";
import { renderExample, useLoopbackAddresses } from "../testing/example-fleets.js";

/**
 * The inventory options a fleet needs to share one machine (ports, paths,
 * singleHost): each lands where the server's program reads it, and the
 * defaults render what a real fleet always had.
 */
describe("one-machine inventory options", () => {
  const moved = renderExample("phase3-horizontal", (inventory) => {
    useLoopbackAddresses(inventory, "mysql-1");
    inventory.singleHost = true;
    inventory.nginx = { port: 18080 };
    inventory.haproxy = {
      port: 18000,
      httpsPort: 18443,
      statsPort: 18404,
      socket: "/tmp/fleet/haproxy-{server}.sock",
      chroot: "/tmp/fleet/chroot",
      user: "nobody",
    };
    inventory.redis = {
      ...inventory.redis,
      dataDir: "/tmp/fleet/redis",
      logDir: "/tmp/fleet/log",
      runDir: "/tmp/fleet/run",
    };
    inventory.mysql = { ...inventory.mysql, appUserHosts: ["127.0.0.1"] };
    inventory.install = { ...inventory.install, code: "/opt/marg-code", logDir: "/tmp/fleet/log/{server}" };
  });
  const http2 = moved.fleet.https[1]?.address ?? "";

  it("bind nginx, HAProxy and the apps to their server's own address, on the inventory's ports", () => {
    const site = moved.content("http-2/etc/nginx/sites-available/marg-flow.conf");
    expect(site).toContain(`    listen ${http2}:18080;`);
    expect(site).not.toMatch(/listen \[::\]/);
    expect(site).toContain(`    server ${http2}:${moved.fleet.apps[0]?.port};`);
    expect(moved.content("http-2/etc/nginx/sites-available/marg-default.conf")).toContain(
      `    listen ${http2}:18080 default_server;`,
    );
    const haproxy = moved.content("lb-1/etc/haproxy/haproxy.cfg");
    const lb = moved.fleet.lbs[0]?.address;
    expect(haproxy).toContain(`    bind ${lb}:18000`);
    expect(haproxy).toContain(`    bind ${lb}:18443 ssl crt`);
    expect(haproxy).toContain("    bind 127.0.0.1:18404");
    expect(haproxy).toContain("    stats socket /tmp/fleet/haproxy-lb-1.sock mode 660 level admin");
    expect(haproxy).toContain("    chroot /tmp/fleet/chroot");
    expect(haproxy).toContain(`    server http-2 ${http2}:18080 check`);
    expect(moved.content("lb-1/usr/local/sbin/marg-haproxy-server")).toContain(
      "SOCKET=/tmp/fleet/haproxy-lb-1.sock",
    );
    const unit = moved.content("http-2/etc/systemd/system/marg-flow.service");
    expect(unit).toContain(`Environment=HOST=${http2}`);
    expect(unit).toContain(
      "ExecStart=/usr/bin/node /opt/marg-code/packages/cli/bin/marg-compiled.js serve flow",
    );
  });

  it("put Redis's files and the app user's accounts where the inventory says", () => {
    const redis = moved.content("redis-1/etc/redis/redis.conf");
    for (const line of [
      "dir /tmp/fleet/redis",
      "logfile /tmp/fleet/log/redis-server.log",
      "pidfile /tmp/fleet/run/redis/redis-server.pid",
    ])
      expect(redis).toContain(line);
    const sql = moved.content("mysql-1/root/marg-sql/01-databases-and-users.sql");
    expect(sql).toContain("CREATE USER IF NOT EXISTS 'marg_app'@'127.0.0.1'");
    expect(sql).not.toMatch(/'marg_app'@'127\.0\.0\.[2-9]/);
  });

  it("render what a real fleet always had by default: every address, port 80, Debian's paths", () => {
    const real = renderExample("phase3-horizontal");
    const site = real.content("http-2/etc/nginx/sites-available/marg-flow.conf");
    expect(site).toContain("    listen 80;");
    expect(site).toContain("    server 127.0.0.1:8001;");
    const haproxy = real.content("lb-1/etc/haproxy/haproxy.cfg");
    expect(haproxy).toContain("    bind :80");
    expect(haproxy).toContain("stats socket /run/haproxy/admin.sock");
    expect(haproxy).toContain("    chroot /var/lib/haproxy");
    expect(real.content("redis-1/etc/redis/redis.conf")).toContain("dir /var/lib/redis");
    expect(real.content("http-2/etc/systemd/system/marg-flow.service")).not.toContain("Environment=HOST=");
  });
});
