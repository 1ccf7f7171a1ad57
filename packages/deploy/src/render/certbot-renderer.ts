import { appHost, type Fleet, isLoopback } from "../fleet/fleet.js";
import { CERTBOT_PORT } from "../fleet/fleet-listeners.js";
import type { InventoryServer } from "../inventory/inventory-schema.js";
import { ACME_WEBROOT } from "./nginx-site-renderer.js";
import { header, lines, MODE, serverFile, shellQuote } from "./text.js";
import type { RenderedFile, RenderInput } from "./types.js";

export const CERTBOT_SCRIPT = "/usr/local/sbin/marg-certbot";
export const CERTBOT_HOOK = "/usr/local/sbin/marg-certbot-deploy-hook";

/**
 * Not the seed's `certbot --nginx`: that rewrites the nginx sites, and the next
 * render would undo it. certbot only fetches the certificate here; the
 * rendered configs point at it once the inventory says `tls.enabled: true`.
 */
function certbotScript(fleet: Fleet): string {
  const { inventory } = fleet;
  const domains = fleet.apps.map((app) => `-d ${appHost(fleet, app)}`).join(" ");
  const email =
    inventory.tls.email === undefined
      ? "--register-unsafely-without-email"
      : `--email ${shellQuote(inventory.tls.email)}`;
  const challenge =
    fleet.edge === "lb" ? `--standalone --http-01-port ${CERTBOT_PORT}` : `--webroot -w ${ACME_WEBROOT}`;
  return lines(
    "#!/usr/bin/env bash",
    header(fleet, "marg-certbot: fetch (or extend) the certificate for every app host."),
    fleet.edge === "lb"
      ? `# HAProxy sends /.well-known/acme-challenge/ to certbot on port ${CERTBOT_PORT}, so nothing stops.`
      : `# nginx serves the challenge from ${ACME_WEBROOT} on port 80, so nothing stops.`,
    "# Renewal is certbot's own timer; the deploy hook reloads the web server each time.",
    "set -euo pipefail",
    "",
    fleet.edge === "http" && `install -d -m 755 ${ACME_WEBROOT}`,
    `certbot certonly ${challenge} \\`,
    `  --cert-name ${inventory.domain} ${domains} \\`,
    `  ${email} --agree-tos --no-eff-email --non-interactive --keep-until-expiring --expand \\`,
    `  --deploy-hook ${CERTBOT_HOOK}`,
    "certbot renew --dry-run",
    'echo "Certificate ready. Set tls.enabled: true in the inventory, run marg infra:render again and install the new configs."',
  );
}

function deployHook(fleet: Fleet, self: InventoryServer): string {
  if (fleet.edge === "http") {
    return lines(
      "#!/usr/bin/env bash",
      header(fleet, "certbot deploy hook: reload nginx."),
      "set -euo pipefail",
      "systemctl reload nginx",
    );
  }
  const pem = fleet.haproxyCertificate;
  const peers = fleet.lbs.filter((lb) => lb.name !== self.name);
  return lines(
    "#!/usr/bin/env bash",
    header(fleet, "certbot deploy hook: build HAProxy's combined PEM and reload HAProxy."),
    peers.length > 0 && "# Also copies it to the other load balancers (needs root's SSH key there).",
    "set -euo pipefail",
    "umask 077",
    `lineage="\${RENEWED_LINEAGE:-${fleet.certificateDir}}"`,
    `install -d -m 700 "$(dirname ${pem})"`,
    `cat "$lineage/fullchain.pem" "$lineage/privkey.pem" > ${pem}.new`,
    `mv ${pem}.new ${pem}`,
    "systemctl reload haproxy",
    ...peers.map(
      (peer) =>
        `scp -q ${pem} root@${peer.address}:${pem} && ssh root@${peer.address} systemctl reload haproxy`,
    ),
  );
}

/** marg-certbot and its deploy hook on the server that terminates TLS (first lb, or the http server). */
export function renderCertbot({ fleet }: RenderInput): RenderedFile[] {
  const server = fleet.edge === "lb" ? fleet.lbs[0] : fleet.https[0];
  // Let's Encrypt cannot reach a loopback-only laptop (nor issue for *.localhost).
  if (server === undefined || isLoopback(server)) return [];
  return [
    serverFile(server, CERTBOT_SCRIPT, certbotScript(fleet), MODE.script),
    serverFile(server, CERTBOT_HOOK, deployHook(fleet, server), MODE.script),
  ];
}
