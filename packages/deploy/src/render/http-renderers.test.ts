import { describe, expect, it } from "vitest";
import { renderExample } from "../testing/example-fleets.js";

describe("the nginx site of each app", () => {
  const phase2 = renderExample("phase2-four-servers");
  const flow = phase2.content("http-1/etc/nginx/sites-available/marg-flow.conf");

  it("keeps the seed's security headers and dotfile rule", () => {
    expect(flow).toContain('add_header X-Frame-Options "SAMEORIGIN" always;');
    expect(flow).toContain('add_header X-Content-Type-Options "nosniff" always;');
    expect(flow).toContain("location ~ /\\.(?!well-known).* {\n        deny all;");
  });

  it("keeps password-reset links (a live token in the query string) out of nginx's access log", () => {
    expect(flow).toContain(
      "location = /reset-password {\n        access_log off;\n        proxy_pass http://marg_flow;",
    );
  });

  it("proxies to the app's own Node process, one site per app", () => {
    expect(flow).toContain("server 127.0.0.1:8001;");
    expect(flow).toContain("server_name flow.marg.test;");
    expect(phase2.content("http-1/etc/nginx/sites-available/marg-links.conf")).toContain(
      "server 127.0.0.1:8002;",
    );
    expect(phase2.content("http-1/etc/nginx/sites-available/marg-admin.conf")).toContain(
      "server 127.0.0.1:8003;",
    );
  });

  it("does not make flow the catch-all for every subdomain, as the seed's *.marg.test did", () => {
    expect(flow).not.toContain("*.marg.test");
    expect(phase2.content("http-1/etc/nginx/sites-available/marg-default.conf")).toContain("return 444;");
  });

  it("serves plain HTTP (and ACME challenges) until certificates exist", () => {
    expect(flow).not.toContain("listen 443");
    expect(flow).not.toContain("return 301");
    expect(flow).toContain("location ^~ /.well-known/acme-challenge/");
  });

  it("redirects HTTP to HTTPS once tls.enabled says the certificates exist", () => {
    const tls = renderExample("phase2-four-servers", (inventory) => {
      inventory.tls.enabled = true;
    });
    const site = tls.content("http-1/etc/nginx/sites-available/marg-flow.conf");
    expect(site).toContain("return 301 https://$host$request_uri;");
    expect(site).toContain("listen 443 ssl http2;");
    expect(site).toContain("ssl_certificate /etc/letsencrypt/live/marg.test/fullchain.pem;");
    expect(site).toContain('Strict-Transport-Security "max-age=31536000; includeSubDomains" always;');
  });

  it("behind HAProxy: plain HTTP on port 80, the visitor's address taken from the load balancer only", () => {
    const site = renderExample("phase4-ha").content("http-3/etc/nginx/sites-available/marg-links.conf");
    expect(site).not.toContain("listen 443");
    expect(site).toContain("set_real_ip_from 192.168.1.5;");
    expect(site).toContain("set_real_ip_from 192.168.1.6;");
    expect(site).toContain("proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;");
    // A proxy-aware app (the id app's OpenID provider) builds its URLs from the visitor's host.
    expect(site).toContain("proxy_set_header X-Forwarded-Host $host;");
  });
});

describe("haproxy.cfg", () => {
  const phase3 = renderExample("phase3-horizontal");
  const cfg = phase3.content("lb-1/etc/haproxy/haproxy.cfg");

  it("logs each request's path, never its query string (a reset link's token)", () => {
    expect(cfg).toContain('%hr %hs \\"%HM %HP %HV\\""');
    expect(cfg).not.toContain("option httplog");
  });

  it("balances round-robin and checks GET /health for a 200", () => {
    expect(cfg).toContain("balance roundrobin");
    expect(cfg).toContain("option httpchk GET /health");
    expect(cfg).toContain("http-check expect status 200");
    expect(cfg).toContain("http-check send hdr Host flow.marg.test");
  });

  it("has a stats socket for the runtime API, redispatch and timeouts", () => {
    expect(cfg).toContain("stats socket /run/haproxy/admin.sock mode 660 level admin");
    expect(cfg).toContain("option redispatch");
    for (const timeout of ["connect", "client", "server", "http-request", "check"])
      expect(cfg).toContain(`timeout ${timeout} `);
  });

  it("lists every http server in every app's backend, by name and address", () => {
    for (const backend of ["app_flow", "app_links", "app_admin"]) expect(cfg).toContain(`backend ${backend}`);
    expect(cfg.match(/server http-2 192\.168\.1\.11:80 check/g)).toHaveLength(3);
  });

  it("terminates TLS and redirects to HTTPS only once certificates exist", () => {
    expect(cfg).toContain("bind :443 ssl crt /etc/haproxy/certs/marg.test.pem");
    expect(cfg).toContain("http-request redirect scheme https code 301 if !{ ssl_fc } !acme");
    expect(cfg).toContain(
      'http-after-response set-header Strict-Transport-Security "max-age=31536000; includeSubDomains" if { ssl_fc }',
    );
    const before = renderExample("phase3-horizontal", (inventory) => {
      inventory.tls.enabled = false;
    }).content("lb-1/etc/haproxy/haproxy.cfg");
    expect(before).not.toContain(":443");
    expect(before).toContain("use_backend acme if acme");
  });
});
