import { appHost, type Fleet, listenAddress } from "../fleet/fleet.js";
import type { InventoryApp, InventoryServer } from "../inventory/inventory-schema.js";
import { header, lines, MODE, serverFile } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

/** Where certbot's webroot challenge files go (nginx serves them on port 80). */
export const ACME_WEBROOT = "/var/www/letsencrypt";

/** Sites go to sites-available; install.sh links them into sites-enabled. */
export function nginxSitePath(name: string): string {
  return `/etc/nginx/sites-available/${name}.conf`;
}

function securityHeaders(fleet: Fleet): string[] {
  // `always` so error pages carry them too; set here only, since an add_header
  // inside a location would silently drop every server-level one.
  const hsts = fleet.edge === "http" && fleet.inventory.tls.enabled && fleet.inventory.tls.hsts;
  return [
    '    add_header X-Frame-Options "SAMEORIGIN" always;',
    '    add_header X-Content-Type-Options "nosniff" always;',
    '    add_header Referrer-Policy "strict-origin-when-cross-origin" always;',
    // includeSubDomains: the fleet is all-HTTPS once TLS is on, and a plain-HTTP sibling
    // host is where a network attacker would plant cookies on the shared domain.
    ...(hsts
      ? ['    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;']
      : []),
  ];
}

/** Proxy settings at server level, so every location inherits them (none sets its own). */
function proxySettings(fleet: Fleet): string[] {
  // Behind HAProxy the scheme the visitor used arrives in X-Forwarded-Proto;
  // only the load balancers can reach port 80 here (ufw), so it is trusted.
  const proto = fleet.edge === "lb" ? "$http_x_forwarded_proto" : "$scheme";
  return [
    "    proxy_http_version 1.1;",
    '    proxy_set_header Connection "";',
    "    proxy_set_header Host $host;",
    // Overwrite, never append: the app trusts only nginx, and nginx has already
    // worked out the visitor's address (from HAProxy's header when behind one).
    "    proxy_set_header X-Forwarded-For $remote_addr;",
    "    proxy_set_header X-Real-IP $remote_addr;",
    `    proxy_set_header X-Forwarded-Proto ${proto};`,
    // What a proxy-aware app (the id app's OpenID provider) builds its own URLs from: the
    // host the visitor asked for, already matched against server_name.
    "    proxy_set_header X-Forwarded-Host $host;",
    "    proxy_set_header X-Request-Id $request_id;",
    "    proxy_read_timeout 60s;",
    "",
  ];
}

function proxyLocations(app: InventoryApp): string[] {
  const pass = `        proxy_pass http://${upstreamName(app)};`;
  return [
    "    location / {",
    pass,
    "    }",
    "",
    "    # HAProxy asks every few seconds; keep it out of the access log.",
    "    location = /health {",
    "        access_log off;",
    pass,
    "    }",
    "",
    "    # A password-reset link carries a live token in its query string: nginx's access",
    "    # log would keep it (the app's own log redacts it). The app logs this page.",
    "    location = /reset-password {",
    "        access_log off;",
    pass,
    "    }",
    "",
    "    location = /favicon.ico {",
    "        access_log off;",
    "        log_not_found off;",
    pass,
    "    }",
    "",
    "    location = /robots.txt {",
    "        access_log off;",
    "        log_not_found off;",
    pass,
    "    }",
    "",
    "    # Dotfiles (.env, .git) are never served; .well-known stays reachable.",
    "    location ~ /\\.(?!well-known).* {",
    "        deny all;",
    "    }",
  ];
}

function upstreamName(app: InventoryApp): string {
  return `marg_${app.name.replaceAll("-", "_")}`;
}

function acmeLocation(): string[] {
  return [
    "    location ^~ /.well-known/acme-challenge/ {",
    `        root ${ACME_WEBROOT};`,
    "        default_type text/plain;",
    "    }",
  ];
}

function serverBody(fleet: Fleet): string[] {
  return [
    "    charset utf-8;",
    "    server_tokens off;",
    "    client_max_body_size 25m;",
    ...securityHeaders(fleet),
    // The app (helmet) sets some of these too; one copy of each reaches the browser.
    "    proxy_hide_header X-Frame-Options;",
    "    proxy_hide_header X-Content-Type-Options;",
    "    proxy_hide_header Referrer-Policy;",
    "    proxy_hide_header Strict-Transport-Security;",
    "    proxy_hide_header X-Powered-By;",
    "",
    ...proxySettings(fleet),
  ];
}

function tlsLines(fleet: Fleet): string[] {
  return [
    `    ssl_certificate ${fleet.certificateDir}/fullchain.pem;`,
    `    ssl_certificate_key ${fleet.certificateDir}/privkey.pem;`,
    "    ssl_protocols TLSv1.2 TLSv1.3;",
    "    ssl_session_cache shared:MARG_TLS:10m;",
    "    ssl_session_timeout 1d;",
    "    ssl_session_tickets off;",
  ];
}

/**
 * `listen` lines for plain HTTP: every address (IPv4 and, facing the internet,
 * IPv6) on a real server; only the server's own address under singleHost.
 */
function listenLines(fleet: Fleet, server: InventoryServer, extra = ""): string[] {
  const port = fleet.inventory.nginx.port;
  const own = listenAddress(fleet, server);
  if (own !== undefined) return [`    listen ${own}:${port}${extra};`];
  return [
    `    listen ${port}${extra};`,
    ...(fleet.edge === "http" ? [`    listen [::]:${port}${extra};`] : []),
  ];
}

function appSite(fleet: Fleet, server: InventoryServer, app: InventoryApp): string {
  const { tls } = fleet.inventory;
  const upstream = [
    `upstream ${upstreamName(app)} {`,
    `    server ${listenAddress(fleet, server) ?? "127.0.0.1"}:${app.port};`,
    "    keepalive 16;",
    "}",
    "",
  ];
  if (fleet.edge === "lb") {
    const realIp = fleet.lbs.map((lb) => `    set_real_ip_from ${lb.address};`);
    return lines(
      header(fleet, `nginx site for ${app.name} (${appHost(fleet, app)}), behind HAProxy.`),
      "",
      upstream,
      "server {",
      ...listenLines(fleet, server),
      `    server_name ${appHost(fleet, app)};`,
      ...serverBody(fleet),
      "    # The visitor's address, as HAProxy saw it.",
      realIp,
      "    real_ip_header X-Forwarded-For;",
      "",
      proxyLocations(app),
      "}",
    );
  }
  const httpOnly = !tls.enabled;
  return lines(
    header(fleet, `nginx site for ${app.name} (${appHost(fleet, app)}).`),
    "",
    upstream,
    "server {",
    ...listenLines(fleet, server),
    `    server_name ${appHost(fleet, app)};`,
    httpOnly ? serverBody(fleet) : ["    server_tokens off;", ""],
    acmeLocation(),
    "",
    httpOnly
      ? proxyLocations(app)
      : ["    location / {", "        return 301 https://$host$request_uri;", "    }"],
    "}",
    !httpOnly && [
      "",
      "server {",
      "    listen 443 ssl http2;",
      "    listen [::]:443 ssl http2;",
      `    server_name ${appHost(fleet, app)};`,
      ...tlsLines(fleet),
      ...serverBody(fleet),
      ...proxyLocations(app),
      "}",
    ],
  );
}

/** Answers any host MARG does not serve with nothing, instead of whichever app sorts first. */
function defaultSite(fleet: Fleet, server: InventoryServer): string {
  const tls = fleet.edge === "http" && fleet.inventory.tls.enabled;
  return lines(
    header(fleet, "nginx catch-all: requests for unknown hosts are dropped."),
    "",
    "server {",
    ...listenLines(fleet, server, " default_server"),
    tls && "    listen 443 ssl default_server;",
    tls && "    listen [::]:443 ssl default_server;",
    tls && "    ssl_reject_handshake on;",
    "    server_name _;",
    "    return 444;",
    "}",
  );
}

/** One nginx site per app on each http server, plus the catch-all. */
export function renderNginxSites({ fleet }: RenderInput): RenderedFile[] {
  return fleet.https.flatMap((server) => [
    serverFile(server, nginxSitePath("marg-default"), defaultSite(fleet, server), MODE.config),
    ...fleet.apps.map((app) =>
      serverFile(server, nginxSitePath(`marg-${app.name}`), appSite(fleet, server, app), MODE.config),
    ),
  ]);
}
