import { appHost, type Fleet } from "../fleet/fleet.js";
import { CERTBOT_PORT } from "../fleet/fleet-listeners.js";
import type { InventoryApp, InventoryServer } from "../inventory/inventory-schema.js";
import { backendName, haproxySocket } from "./haproxy-names.js";
import { serverStateScript } from "./haproxy-server-script.js";
import { header, lines, MODE, serverFile } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

function globalSection(fleet: Fleet, self: InventoryServer): string[] {
  const { haproxy } = fleet.inventory;
  return [
    "global",
    "    log /dev/log local0",
    "    log /dev/log local1 notice",
    `    chroot ${haproxy.chroot}`,
    "    # The runtime API: `marg-haproxy-server drain http-1` and rolling deploys use it.",
    `    stats socket ${haproxySocket(fleet, self)} mode 660 level admin expose-fd listeners`,
    "    stats timeout 30s",
    `    user ${haproxy.user}`,
    `    group ${haproxy.user}`,
    "    daemon",
    fleet.inventory.tls.enabled ? "    ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets" : "",
    "",
    "defaults",
    "    log global",
    "    mode http",
    "    option httplog",
    "    option dontlognull",
    "    # A request whose server died is retried on another one instead of failing.",
    "    option redispatch",
    "    retries 3",
    "    timeout connect 5s",
    "    timeout client 30s",
    "    timeout server 60s",
    "    timeout http-request 10s",
    "    timeout http-keep-alive 10s",
    "    timeout queue 30s",
    "    timeout check 5s",
    "    timeout tunnel 1h",
  ].filter((line, index, all) => !(line === "" && all[index - 1] === ""));
}

function frontend(fleet: Fleet, self: InventoryServer): string[] {
  const { tls, haproxy } = fleet.inventory;
  const on = fleet.inventory.singleHost ? self.address : "";
  return [
    "frontend marg_http",
    `    bind ${on}:${haproxy.port}`,
    tls.enabled
      ? `    bind ${on}:${haproxy.httpsPort} ssl crt ${fleet.haproxyCertificate} alpn h2,http/1.1`
      : "",
    "    acl acme path_beg /.well-known/acme-challenge/",
    ...(tls.enabled
      ? [
          "    http-request redirect scheme https code 301 if !{ ssl_fc } !acme",
          "    http-request set-header X-Forwarded-Proto https if { ssl_fc }",
          "    http-request set-header X-Forwarded-Proto http if !{ ssl_fc }",
        ]
      : ["    http-request set-header X-Forwarded-Proto http"]),
    "    # Overwrite what the client sent: nginx behind us trusts this header.",
    "    http-request set-header X-Forwarded-For %[src]",
    tls.enabled && tls.hsts
      ? '    http-response set-header Strict-Transport-Security "max-age=31536000" if { ssl_fc }'
      : "",
    "    use_backend acme if acme",
    ...fleet.apps.map(
      (app) =>
        `    use_backend ${backendName(app)} if { req.hdr(host),field(1,:) -i ${appHost(fleet, app)} }`,
    ),
    "    default_backend no_app",
  ].filter((line) => line !== "");
}

function appBackend(fleet: Fleet, app: InventoryApp): string[] {
  return [
    `backend ${backendName(app)}`,
    "    balance roundrobin",
    "    # /health answers 503 when the database or Redis is down (or, with",
    "    # HEALTH_BACKLOG_UNHEALTHY, the queue is backed up): out of rotation until it recovers.",
    "    option httpchk GET /health",
    `    http-check send hdr Host ${appHost(fleet, app)}`,
    "    http-check expect status 200",
    "    default-server inter 3s fall 3 rise 2",
    ...fleet.https.map(
      (server) => `    server ${server.name} ${server.address}:${fleet.inventory.nginx.port} check`,
    ),
  ];
}

function acmeBackend(fleet: Fleet, self: InventoryServer): string[] {
  const certbotHost = fleet.lbs[0];
  const target =
    certbotHost === undefined || certbotHost.name === self.name ? "127.0.0.1" : certbotHost.address;
  return [
    "# certbot --standalone answers Let's Encrypt here (see usr/local/sbin/marg-certbot).",
    "backend acme",
    `    server certbot ${target}:${CERTBOT_PORT}`,
  ];
}

function haproxyConfig(fleet: Fleet, self: InventoryServer): string {
  return lines(
    header(fleet, `HAProxy in front of ${fleet.https.length} http server(s).`),
    "",
    globalSection(fleet, self),
    "",
    frontend(fleet, self),
    "",
    ...fleet.apps.flatMap((app) => [...appBackend(fleet, app), ""]),
    acmeBackend(fleet, self),
    "",
    "backend no_app",
    '    http-request return status 404 content-type text/plain string "No MARG app answers at this address."',
    "",
    "# Stats page and Prometheus metrics, on loopback only (ssh -L 8404:127.0.0.1:8404).",
    "frontend stats",
    `    bind 127.0.0.1:${fleet.inventory.haproxy.statsPort}`,
    "    stats enable",
    "    stats uri /stats",
    "    stats refresh 10s",
    "    http-request use-service prometheus-exporter if { path /metrics }",
  );
}

/** haproxy.cfg and the server-state script for each load balancer. */
export function renderHaproxy({ fleet }: RenderInput): RenderedFile[] {
  return fleet.lbs.flatMap((lb) => [
    serverFile(lb, "/etc/haproxy/haproxy.cfg", haproxyConfig(fleet, lb), MODE.config),
    serverFile(lb, "/usr/local/sbin/marg-haproxy-server", serverStateScript(fleet, lb), MODE.script),
  ]);
}
