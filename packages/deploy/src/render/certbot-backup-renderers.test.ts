import { describe, expect, it } from "vitest";
import { renderExample } from "../testing/example-fleets.js";

describe("the certbot command", () => {
  it("on a phase 2 http server: webroot through nginx, never `certbot --nginx`", () => {
    const script = renderExample("phase2-four-servers").content("http-1/usr/local/sbin/marg-certbot");
    expect(script).toContain("certbot certonly --webroot -w /var/www/letsencrypt");
    expect(script).toContain("-d flow.marg.test -d links.marg.test -d admin.marg.test");
    expect(script).toContain("--email 'ops@marg.test'");
    expect(script).toContain("certbot renew --dry-run");
    expect(script).not.toContain("--nginx");
  });

  it("behind HAProxy: standalone on the port HAProxy forwards challenges to, with a hook that builds HAProxy's PEM", () => {
    const rendered = renderExample("phase4-ha");
    expect(rendered.content("lb-1/usr/local/sbin/marg-certbot")).toContain(
      "certbot certonly --standalone --http-01-port 8888",
    );
    const hook = rendered.content("lb-1/usr/local/sbin/marg-certbot-deploy-hook");
    expect(hook).toContain(
      'cat "$lineage/fullchain.pem" "$lineage/privkey.pem" > /etc/haproxy/certs/marg.test.pem.new',
    );
    expect(hook).toContain("root@192.168.1.6:/etc/haproxy/certs/marg.test.pem");
    expect(rendered.has("lb-2/usr/local/sbin/marg-certbot")).toBe(false);
  });
});

describe("the backup cron entries", () => {
  it("dump MySQL nightly on the primary when there is no replica, with the backup user", () => {
    const rendered = renderExample("phase2-four-servers");
    expect(rendered.content("mysql-1/etc/cron.d/marg-backups")).toContain(
      "15 3 * * * root /usr/local/sbin/marg-mysql-backup",
    );
    const script = rendered.content("mysql-1/usr/local/sbin/marg-mysql-backup");
    expect(script).toContain("--single-transaction");
    expect(script).toContain("--databases 'klueportal' 'links_db' 'marg-rbac' 'klue_portal_business'");
    expect(script).toContain('find "$BACKUP_DIR" -name "marg_*.sql.gz" -mtime +"$KEEP_DAYS" -delete');
    expect(rendered.content("mysql-1/etc/mysql/marg-backup.cnf")).toContain(
      `password = ${rendered.secrets.DB_BACKUP_PASSWORD}`,
    );
  });

  it("dump MySQL on the last replica when there are replicas, so the primary never pays for it", () => {
    const rendered = renderExample("phase4-ha");
    expect(rendered.has("mysql-3/etc/cron.d/marg-backups")).toBe(true);
    expect(rendered.has("mysql-1/etc/cron.d/marg-backups")).toBe(false);
  });

  it("snapshot Redis on every sessions + queues node", () => {
    const rendered = renderExample("phase4-ha");
    for (const name of ["redis-1", "redis-2", "redis-3"]) {
      expect(rendered.content(`${name}/etc/cron.d/marg-backups`)).toContain(
        "45 3 * * * root /usr/local/sbin/marg-redis-backup",
      );
    }
  });
});
